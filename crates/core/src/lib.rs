//! Pure domain rules of the one-stop counter. No I/O: "now", the station, sequences and
//! holiday tables come in as arguments so every rule is a plain unit test.

pub mod calendar;
