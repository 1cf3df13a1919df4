//! E-mail: templates rendered at the moment a mail is queued (`templates`), the outbox worker
//! that delivers queued mail (`outbox`), the relay client per provider (`relay`), and the SMTP
//! provider it dispatches to (`smtp`).

pub mod outbox;
pub mod relay;
pub mod smtp;
pub mod templates;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::base::types::{PublicUrl, Secret};
use crate::store::OutgoingMail;
use templates::{MailVars, RenderError, Template, Templates};

/// Composes mail for the outbox and wakes the worker when some was queued.
pub struct Mailer {
    templates: Templates,
    /// `UNLEASH_URL` (shown in the welcome mail).
    public_url: PublicUrl,
    /// False with the `log` provider: nobody receives such mail, so none is offered to users.
    delivers: bool,
    wake: Arc<Notify>,
}

/// Who a mail is for.
pub struct Recipient<'a> {
    pub email: &'a str,
    /// Display name; the greeting falls back to "there".
    pub name: Option<&'a str>,
}

impl Mailer {
    pub fn new(templates: Templates, public_url: PublicUrl, delivers: bool) -> Self {
        Mailer {
            templates,
            public_url,
            delivers,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Does mail reach people (a relay is configured)?
    pub fn delivers(&self) -> bool {
        self.delivers
    }

    pub fn wake_handle(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Tells the worker that mail was queued.
    pub fn queued(&self) {
        self.wake.notify_one();
    }

    pub fn compose(
        &self,
        template: Template,
        to: &Recipient<'_>,
        link: Option<&Secret>,
    ) -> Result<OutgoingMail, RenderError> {
        let vars = MailVars {
            name: to.name.filter(|n| !n.trim().is_empty()).unwrap_or("there"),
            email: to.email,
            link: link.map(Secret::expose).unwrap_or_default(),
            unleash_url: self.public_url.as_str(),
        };
        let (html, text) = self.templates.render(template, &vars)?;
        Ok(OutgoingMail {
            key: uuid::Uuid::new_v4().to_string(),
            template: template.name().to_string(),
            recipient: to.email.to_string(),
            subject: template.subject().to_string(),
            html,
            text,
        })
    }
}

/// Why one delivery attempt (to an HTTP relay or an SMTP server) failed; the outbox decides
/// what happens next.
#[derive(Debug, PartialEq, Eq)]
pub enum SendError {
    /// Worth another try (timeout, connection, 429, 5xx), no sooner than `retry_after`.
    Transient {
        reason: String,
        retry_after: Option<Duration>,
        /// The relay refused for the pace of the calls (429), not for this mail.
        rate_limited: bool,
    },
    /// Another try would fail the same way (other 4xx).
    Permanent(String),
}
