//! Window tests: screen flows at the `update` level with the real application layer on a
//! temporary data directory, and `iced_test` simulator checks of what is on screen.
