fn main() -> std::process::ExitCode {
    unlatch::process::cli::main()
}
