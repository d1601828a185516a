//! Vietnamese lunar calendar, working days, holidays and appointment dates.
