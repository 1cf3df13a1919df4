//! An error with the chain of its causes, as one line of text.

/// An error's message followed by those of its causes, for a log line or the operator's terminal
/// (a cause whose message its effect already quotes is not repeated).
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}
