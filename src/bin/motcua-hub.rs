//! The `motcua-hub` binary (province hub), shipped beside `motcua` so `cargo test` builds
//! both for the end-to-end sync tests.

fn main() -> std::process::ExitCode {
    motcua_hub::main_entry()
}
