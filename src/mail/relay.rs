//! The mail-relay client, on `reqwest`, for each `MAIL_PROVIDER`:
//! - `json` (Resend-style): `POST MAIL_RELAY_URL` `{from, to: [..], subject, html, text}` with
//!   `Authorization: Bearer MAIL_RELAY_TOKEN` and `Idempotency-Key`;
//! - `postmark`: `POST <MAIL_RELAY_URL>/email` with `X-Postmark-Server-Token`;
//! - `sendgrid`: `POST <MAIL_RELAY_URL>/v3/mail/send` (v3 shape) with a Bearer key;
//! - `mailgun`: `POST <base>/v3/<MAILGUN_DOMAIN>/messages` as `multipart/form-data`, with basic
//!   auth `api:MAIL_RELAY_TOKEN`; the base is `MAIL_RELAY_URL`, else the `MAILGUN_REGION`'s API;
//! - `mailpit`: `POST <MAIL_RELAY_URL>/api/v1/send`;
//! - `smtp`: handed to `super::smtp` (Unleash's `EMAIL_*` settings);
//! - `log`: no relay; the mail is written to the log with its links' tokens redacted (a token
//!   never reaches a log line).

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::smtp::{Smtp, SmtpSettings};
use super::SendError;
use crate::base::types::Secret;
use crate::store::OutgoingMail;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    Smtp,
    Json,
    Postmark,
    Sendgrid,
    Mailgun,
    Mailpit,
    Log,
}

/// Mailgun keeps US and EU accounts on separate API hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MailgunRegion {
    Us,
    Eu,
}

impl MailgunRegion {
    pub fn api_base(self) -> &'static str {
        match self {
            MailgunRegion::Us => "https://api.mailgun.net",
            MailgunRegion::Eu => "https://api.eu.mailgun.net",
        }
    }
}

/// What one HTTP provider is sent.
enum Payload {
    Json(Value),
    Form(reqwest::multipart::Form),
}

pub struct Relay {
    provider: Provider,
    url: String,
    token: Option<Secret>,
    sender: String,
    connect_timeout: Duration,
    timeout: Duration,
    /// The SMTP transport, with the `smtp` provider.
    smtp: Option<Smtp>,
    /// Built on the first delivery: loading the system's certificates takes tens of milliseconds,
    /// which start-up need not wait for (and the `log` provider never needs).
    client: tokio::sync::OnceCell<reqwest::Client>,
}

pub struct RelayConfig {
    pub provider: Provider,
    pub url: Option<String>,
    /// `MAIL_RELAY_TOKEN`.
    pub token: Option<Secret>,
    pub sender: String,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// `EMAIL_HOST` and the rest, for `smtp`.
    pub smtp: Option<SmtpSettings>,
    /// `MAILGUN_DOMAIN` (else the sender's domain) and `MAILGUN_REGION`, for `mailgun`.
    pub mailgun_domain: Option<String>,
    pub mailgun_region: MailgunRegion,
}

impl Relay {
    pub fn new(config: RelayConfig) -> anyhow::Result<Self> {
        let token = config.token.filter(|t| !t.is_empty());
        let given = config
            .url
            .filter(|url| !url.trim().is_empty())
            .map(|url| url.trim_end_matches('/').to_string());
        let url = match (config.provider, given) {
            (Provider::Log | Provider::Smtp, _) => String::new(),
            (Provider::Mailgun, given) => {
                let domain = config
                    .mailgun_domain
                    .filter(|d| !d.trim().is_empty())
                    .or_else(|| sender_domain(&config.sender))
                    .ok_or_else(|| anyhow::anyhow!("MAIL_PROVIDER=mailgun needs MAILGUN_DOMAIN"))?;
                if token.is_none() {
                    anyhow::bail!("MAIL_PROVIDER=mailgun needs MAIL_RELAY_TOKEN (the API key)");
                }
                let base = given.unwrap_or_else(|| config.mailgun_region.api_base().to_string());
                format!("{base}/v3/{}/messages", domain.trim())
            }
            (_, Some(url)) => url,
            (provider, None) => {
                anyhow::bail!("MAIL_PROVIDER={provider:?} needs MAIL_RELAY_URL")
            }
        };
        let smtp = match (config.provider, config.smtp) {
            (Provider::Smtp, Some(settings)) => {
                Some(Smtp::new(settings, &config.sender, config.timeout)?)
            }
            (Provider::Smtp, None) => anyhow::bail!("MAIL_PROVIDER=smtp needs EMAIL_HOST"),
            _ => None,
        };
        Ok(Relay {
            provider: config.provider,
            url,
            token,
            sender: config.sender,
            connect_timeout: config.connect_timeout,
            timeout: config.timeout,
            smtp,
            client: tokio::sync::OnceCell::new(),
        })
    }

    pub fn provider(&self) -> Provider {
        self.provider
    }

    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let (url, payload) = match self.provider {
            Provider::Log => {
                tracing::info!(
                    to = %mail.recipient,
                    subject = %mail.subject,
                    text = %redact_tokens(&mail.text),
                    "mail (MAIL_PROVIDER=log: not sent; tokens redacted)"
                );
                return Ok(());
            }
            Provider::Smtp => {
                return match &self.smtp {
                    Some(smtp) => smtp.send(mail).await,
                    // Relay::new refuses `smtp` without its settings.
                    None => Err(SendError::Permanent("SMTP is not configured".to_string())),
                };
            }
            Provider::Mailgun => (
                self.url.clone(),
                Payload::Form(
                    reqwest::multipart::Form::new()
                        .text("from", self.sender.clone())
                        .text("to", mail.recipient.clone())
                        .text("subject", mail.subject.clone())
                        .text("text", mail.text.clone())
                        .text("html", mail.html.clone()),
                ),
            ),
            Provider::Json => (
                self.url.clone(),
                Payload::Json(json!({
                    "from": self.sender,
                    "to": [mail.recipient],
                    "subject": mail.subject,
                    "html": mail.html,
                    "text": mail.text,
                })),
            ),
            Provider::Postmark => (
                format!("{}/email", self.url),
                Payload::Json(json!({
                    "From": self.sender,
                    "To": mail.recipient,
                    "Subject": mail.subject,
                    "HtmlBody": mail.html,
                    "TextBody": mail.text,
                    "MessageStream": "outbound",
                })),
            ),
            Provider::Sendgrid => (
                format!("{}/v3/mail/send", self.url),
                Payload::Json(json!({
                    "personalizations": [{"to": [{"email": mail.recipient}]}],
                    "from": address_object(&self.sender, "email", "name"),
                    "subject": mail.subject,
                    "content": [
                        {"type": "text/plain", "value": mail.text},
                        {"type": "text/html", "value": mail.html},
                    ],
                })),
            ),
            Provider::Mailpit => (
                format!("{}/api/v1/send", self.url),
                Payload::Json(json!({
                    "From": address_object(&self.sender, "Email", "Name"),
                    "To": [{"Email": mail.recipient}],
                    "Subject": mail.subject,
                    "HTML": mail.html,
                    "Text": mail.text,
                })),
            ),
        };
        let client = self
            .client
            .get_or_try_init(|| async {
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    .build()
            })
            .await
            .map_err(|e| SendError::Transient {
                reason: format!("cannot set up the HTTP client: {e}"),
                retry_after: None,
                rate_limited: false,
            })?;
        let request = client.post(url).header("Idempotency-Key", &mail.key);
        let mut request = match payload {
            Payload::Json(body) => request.json(&body),
            Payload::Form(form) => request.multipart(form),
        };
        if let Some(token) = &self.token {
            request = match self.provider {
                Provider::Postmark => request
                    .header("X-Postmark-Server-Token", token.expose())
                    .header("Accept", "application/json"),
                Provider::Mailgun => request.basic_auth("api", Some(token.expose())),
                _ => request.bearer_auth(token.expose()),
            };
        }
        let response = request.send().await.map_err(|e| SendError::Transient {
            // reqwest's error names the URL and the kind; it never holds the body.
            reason: format!("relay unreachable: {}", without_url(&e)),
            retry_after: None,
            rate_limited: false,
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // The relay's answer body is not kept: it may quote the mail, and the mail holds a link.
        let reason = format!("relay answered {status}");
        if status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::REQUEST_TIMEOUT
            || status.is_server_error()
        {
            Err(SendError::Transient {
                reason,
                retry_after: retry_after(response.headers()),
                rate_limited: status == StatusCode::TOO_MANY_REQUESTS,
            })
        } else {
            Err(SendError::Permanent(reason))
        }
    }
}

/// `Name <addr>` or a bare address, as the provider's JSON object.
fn address_object(sender: &str, email_key: &str, name_key: &str) -> Value {
    match sender.rsplit_once('<') {
        Some((name, rest)) => {
            let email = rest.trim_end_matches('>').trim();
            let name = name.trim().trim_matches('"');
            if name.is_empty() {
                json!({ email_key: email })
            } else {
                json!({ email_key: email, name_key: name })
            }
        }
        None => json!({ email_key: sender.trim() }),
    }
}

/// The domain of `Name <user@domain>` or `user@domain`.
fn sender_domain(sender: &str) -> Option<String> {
    let address = match sender.rsplit_once('<') {
        Some((_, rest)) => rest.trim_end_matches('>'),
        None => sender,
    };
    let (_, domain) = address.trim().rsplit_once('@')?;
    Some(domain.trim().to_string()).filter(|d| !d.is_empty())
}

fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    kind.to_string()
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Replaces the value of every `token=` in a text with `[redacted]`.
pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("token=") {
        out.push_str(&rest[..at + "token=".len()]);
        out.push_str("[redacted]");
        rest = &rest[at + "token=".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_redacted() {
        assert_eq!(
            redact_tokens("go to https://x/reset-password?token=abc_DEF-1 now\nand token=zz."),
            "go to https://x/reset-password?token=[redacted] now\nand token=[redacted]."
        );
        assert_eq!(redact_tokens("no links"), "no links");
    }

    #[test]
    fn sender_addresses_become_objects() {
        assert_eq!(
            address_object("Unleash <noreply@example.com>", "email", "name"),
            json!({"email": "noreply@example.com", "name": "Unleash"})
        );
        assert_eq!(
            address_object("noreply@example.com", "Email", "Name"),
            json!({"Email": "noreply@example.com"})
        );
    }

    #[test]
    fn mailgun_posts_to_the_regions_api_for_the_domain() {
        let relay = |region, url: Option<&str>, domain: Option<&str>| {
            Relay::new(RelayConfig {
                provider: Provider::Mailgun,
                url: url.map(str::to_string),
                token: Some("key".into()),
                sender: "Unleash <noreply@flags.example.com>".into(),
                connect_timeout: Duration::from_secs(1),
                timeout: Duration::from_secs(1),
                smtp: None,
                mailgun_domain: domain.map(str::to_string),
                mailgun_region: region,
            })
        };
        let url = |r: anyhow::Result<Relay>| r.expect("relay").url;
        assert_eq!(
            url(relay(MailgunRegion::Us, None, None)),
            "https://api.mailgun.net/v3/flags.example.com/messages"
        );
        assert_eq!(
            url(relay(MailgunRegion::Eu, None, Some("mg.example.org"))),
            "https://api.eu.mailgun.net/v3/mg.example.org/messages"
        );
        assert_eq!(
            url(relay(MailgunRegion::Eu, Some("http://127.0.0.1:9/"), None)),
            "http://127.0.0.1:9/v3/flags.example.com/messages"
        );
    }

    #[test]
    fn the_sender_domain_is_found() {
        assert_eq!(
            sender_domain("Unleash <noreply@flags.example.com>").as_deref(),
            Some("flags.example.com")
        );
        assert_eq!(
            sender_domain("noreply@example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(sender_domain("Unleash"), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let got = retry_after(&headers).expect("date");
        assert!(got > Duration::from_secs(100) && got <= Duration::from_secs(120));
    }
}
