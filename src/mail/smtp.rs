//! The SMTP provider, on `lettre` (tokio, native-tls), configured with Unleash's own settings:
//! `EMAIL_HOST`, `EMAIL_PORT` (587), `EMAIL_SECURE` (implicit TLS), `EMAIL_USER`,
//! `EMAIL_PASSWORD`, `EMAIL_SENDER` and `EMAIL_OPTIONAL_HEADERS`.
//!
//! - TLS: implicit with `EMAIL_SECURE=true`; otherwise STARTTLS whenever the server offers it.
//!   When credentials are set, STARTTLS is required (they are never sent in the clear) unless
//!   `EMAIL_ALLOW_PLAINTEXT=true`. `EMAIL_TLS_CA_FILE` adds trusted CA certificates.
//! - Each mail is `multipart/alternative` (text, then HTML) with a `Message-ID` made from the
//!   outbox key, so every retry of one mail carries the same id (the SMTP counterpart of the
//!   HTTP providers' `Idempotency-Key`).
//! - Replies map onto the outbox rules: 4xx, timeouts and connection or TLS failures are
//!   transient; 5xx is permanent, and the server's reply is kept as the mail's error.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::SendError;
use crate::base::types::Secret;
use crate::store::OutgoingMail;

/// The `EMAIL_*` settings (see `Config::smtp`).
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// Implicit TLS from the first byte.
    pub secure: bool,
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// `EMAIL_OPTIONAL_HEADERS`, as given (a JSON object of strings).
    pub optional_headers: Option<String>,
    /// Credentials may be sent without TLS when the server offers no STARTTLS.
    pub allow_plaintext: bool,
    pub ca_file: Option<PathBuf>,
}

/// Why the SMTP settings cannot be used; reported at start-up.
#[derive(Debug, thiserror::Error)]
pub enum SmtpSetupError {
    #[error("EMAIL_SENDER {sender:?} is not a mail address: {source}")]
    Sender {
        sender: String,
        #[source]
        source: lettre::address::AddressError,
    },
    #[error("EMAIL_USER and EMAIL_PASSWORD must be set together")]
    HalfCredentials,
    #[error("EMAIL_OPTIONAL_HEADERS must be a JSON object of strings: {0}")]
    Headers(String),
    #[error("cannot read EMAIL_TLS_CA_FILE {path:?}: {source}")]
    CaFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("EMAIL_TLS_CA_FILE {path:?}: {reason}")]
    CaCertificate { path: PathBuf, reason: String },
    #[error("cannot set up TLS for EMAIL_HOST {host:?}: {source}")]
    Tls {
        host: String,
        #[source]
        source: lettre::transport::smtp::Error,
    },
}

/// Headers the message itself defines; `EMAIL_OPTIONAL_HEADERS` may not replace them.
const RESERVED_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    headers: Vec<HeaderValue>,
    /// TLS was required because credentials are set (explains a refusal).
    tls_required: bool,
    timeout: Duration,
    /// For `Debug` only.
    server: String,
}

impl fmt::Debug for Smtp {
    // By hand: the transport holds the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Smtp")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .field("tls_required", &self.tls_required)
            .finish_non_exhaustive()
    }
}

impl Smtp {
    pub fn new(
        settings: SmtpSettings,
        sender: &str,
        timeout: Duration,
    ) -> Result<Self, SmtpSetupError> {
        let from: Mailbox = sender.parse().map_err(|source| SmtpSetupError::Sender {
            sender: sender.to_string(),
            source,
        })?;
        let headers = optional_headers(settings.optional_headers.as_deref())?;
        let credentials = match (settings.user, settings.password) {
            (Some(user), Some(password)) => Some(Credentials::new(user, password.into_exposed())),
            (None, None) => None,
            _ => return Err(SmtpSetupError::HalfCredentials),
        };
        let mut tls = TlsParameters::builder(settings.host.clone());
        if let Some(path) = &settings.ca_file {
            for certificate in ca_certificates(path)? {
                tls = tls.add_root_certificate(certificate);
            }
        }
        let tls = tls.build().map_err(|source| SmtpSetupError::Tls {
            host: settings.host.clone(),
            source,
        })?;
        let tls_required = credentials.is_some() && !settings.allow_plaintext && !settings.secure;
        let tls = if settings.secure {
            Tls::Wrapper(tls)
        } else if tls_required {
            Tls::Required(tls)
        } else {
            Tls::Opportunistic(tls)
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
                .port(settings.port)
                .tls(tls)
                .timeout(Some(timeout));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(Smtp {
            transport: builder.build(),
            from,
            headers,
            tls_required,
            timeout,
            server: format!("{}:{}", settings.host, settings.port),
        })
    }

    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let message = self.message(mail)?;
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(self.classify(&e)),
            Err(_) => Err(SendError::Transient {
                reason: format!(
                    "SMTP server did not finish within {} ms",
                    self.timeout.as_millis()
                ),
                retry_after: None,
                rate_limited: false,
            }),
        }
    }

    fn message(&self, mail: &OutgoingMail) -> Result<Message, SendError> {
        let to: Mailbox = mail.recipient.parse().map_err(|e| {
            SendError::Permanent(format!("the recipient address is not valid: {e}"))
        })?;
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(message_id(&mail.key, self.from.email.domain())))
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))?;
        for header in &self.headers {
            message.headers_mut().insert_raw(header.clone());
        }
        Ok(message)
    }

    /// The outbox's reading of an SMTP failure. lettre's message names the reply code and the
    /// server's text (never the mail: a reply does not quote the body) or the network failure.
    fn classify(&self, e: &lettre::transport::smtp::Error) -> SendError {
        if e.is_permanent() {
            return SendError::Permanent(format!("SMTP server refused the mail: {e}"));
        }
        let reason = if self.tls_required && e.is_client() && e.to_string().contains("STARTTLS") {
            "the SMTP server offers no STARTTLS, and the credentials are never sent without TLS \
             (EMAIL_ALLOW_PLAINTEXT=true allows it)"
                .to_string()
        } else if e.is_timeout() {
            format!("SMTP server timed out: {e}")
        } else {
            format!("SMTP: {e}")
        };
        SendError::Transient {
            reason,
            retry_after: None,
            rate_limited: false,
        }
    }
}

/// `<key@domain>`: the same for every attempt at one outbox mail.
fn message_id(key: &str, domain: &str) -> String {
    format!("<{key}@{domain}>")
}

/// `EMAIL_OPTIONAL_HEADERS`: `{"Name": "value", ...}`.
fn optional_headers(json: Option<&str>) -> Result<Vec<HeaderValue>, SmtpSetupError> {
    let Some(json) = json.map(str::trim).filter(|j| !j.is_empty()) else {
        return Ok(Vec::new());
    };
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| SmtpSetupError::Headers(e.to_string()))?;
    object
        .into_iter()
        .map(|(name, value)| {
            let serde_json::Value::String(value) = value else {
                return Err(SmtpSetupError::Headers(format!(
                    "the value of {name:?} is not a string"
                )));
            };
            if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                return Err(SmtpSetupError::Headers(format!(
                    "{name:?} is set by Unlatch itself"
                )));
            }
            if value.chars().any(char::is_control) {
                return Err(SmtpSetupError::Headers(format!(
                    "the value of {name:?} holds a control character"
                )));
            }
            let header = HeaderName::new_from_ascii(name.clone())
                .map_err(|_| SmtpSetupError::Headers(format!("{name:?} is not a header name")))?;
            Ok(HeaderValue::new(header, value))
        })
        .collect()
}

/// Every certificate in a PEM file.
fn ca_certificates(path: &PathBuf) -> Result<Vec<Certificate>, SmtpSetupError> {
    const END: &str = "-----END CERTIFICATE-----";
    let pem = std::fs::read_to_string(path).map_err(|source| SmtpSetupError::CaFile {
        path: path.clone(),
        source,
    })?;
    let certificates = pem
        .split_inclusive(END)
        .filter(|block| block.contains("-----BEGIN CERTIFICATE-----") && block.ends_with(END))
        .map(|block| {
            Certificate::from_pem(block.trim().as_bytes()).map_err(|e| {
                SmtpSetupError::CaCertificate {
                    path: path.clone(),
                    reason: e.to_string(),
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if certificates.is_empty() {
        return Err(SmtpSetupError::CaCertificate {
            path: path.clone(),
            reason: "no PEM certificate in it".to_string(),
        });
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            secure: false,
            user: Some("mailer".into()),
            password: Some(Secret::new("s3cret-smtp-pass")),
            optional_headers: None,
            allow_plaintext: false,
            ca_file: None,
        }
    }

    fn mail() -> OutgoingMail {
        OutgoingMail {
            key: "0b5e7c3e-1111-4222-8333-944445555666".into(),
            template: "reset-password".into(),
            recipient: "ada@example.com".into(),
            subject: "Unleash - Reset your password".into(),
            html: "<p>hi</p>".into(),
            text: "hi".into(),
        }
    }

    #[test]
    fn optional_headers_are_read_and_checked() {
        let headers =
            optional_headers(Some(r#"{"Reply-To": "ops@example.com", "X-Env": "prod"}"#)).unwrap();
        assert_eq!(headers.len(), 2);
        assert!(optional_headers(None).unwrap().is_empty());
        assert!(optional_headers(Some("")).unwrap().is_empty());
        for bad in [
            "[1]",
            r#"{"X-A": 1}"#,
            r#"{"Subject": "x"}"#,
            r#"{"X-A": "a\r\nBcc: evil@example.com"}"#,
            r#"{"X A": "b"}"#,
        ] {
            assert!(
                matches!(optional_headers(Some(bad)), Err(SmtpSetupError::Headers(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_message_is_multipart_with_a_stable_id_and_the_extra_headers() {
        let smtp = Smtp::new(
            SmtpSettings {
                optional_headers: Some(r#"{"X-Unleash-Env": "staging"}"#.into()),
                ..settings()
            },
            "Unleash <noreply@flags.example.com>",
            Duration::from_secs(5),
        )
        .unwrap();
        let first = String::from_utf8(smtp.message(&mail()).unwrap().formatted()).unwrap();
        let again = String::from_utf8(smtp.message(&mail()).unwrap().formatted()).unwrap();
        let id = "Message-ID: <0b5e7c3e-1111-4222-8333-944445555666@flags.example.com>";
        assert!(first.contains(id), "{first}");
        assert!(again.contains(id));
        assert!(first.contains("X-Unleash-Env: staging"));
        assert!(first.contains("multipart/alternative"));
        assert!(first.contains("text/plain") && first.contains("text/html"));
    }

    #[test]
    fn credentials_require_tls_unless_plaintext_is_allowed() {
        let sender = "noreply@example.com";
        let timeout = Duration::from_secs(5);
        assert!(Smtp::new(settings(), sender, timeout).unwrap().tls_required);
        let plain = SmtpSettings {
            allow_plaintext: true,
            ..settings()
        };
        assert!(!Smtp::new(plain, sender, timeout).unwrap().tls_required);
        let anonymous = SmtpSettings {
            user: None,
            password: None,
            ..settings()
        };
        assert!(!Smtp::new(anonymous, sender, timeout).unwrap().tls_required);
        let half = SmtpSettings {
            password: None,
            ..settings()
        };
        assert!(matches!(
            Smtp::new(half, sender, timeout),
            Err(SmtpSetupError::HalfCredentials)
        ));
        assert!(matches!(
            Smtp::new(settings(), "not an address", timeout),
            Err(SmtpSetupError::Sender { .. })
        ));
    }

    #[test]
    fn the_password_is_in_no_debug_output() {
        let smtp = Smtp::new(settings(), "noreply@example.com", Duration::from_secs(5)).unwrap();
        let shown = format!("{smtp:?} {:?}", settings());
        assert!(!shown.contains("s3cret-smtp-pass"), "{shown}");
    }
}
