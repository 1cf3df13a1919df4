//! The mail templates: handlebars, an HTML and a plain-text part each, from `templates/` (built
//! into the binary) or from `MAIL_TEMPLATES_DIR`. Strict mode and HTML escaping are on, and every
//! template is compiled and test-rendered at start-up, so a broken template stops start-up and
//! never fails a request.

use std::path::Path;

use handlebars::Handlebars;
use serde::Serialize;

/// A template that did not render (start-up test-renders every one, so this is rare).
#[derive(Debug, thiserror::Error)]
#[error("rendering the mail template {template}")]
pub struct RenderError {
    template: &'static str,
    #[source]
    source: handlebars::RenderError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    ResetPassword,
    Welcome,
    PasswordChanged,
}

impl Template {
    pub const ALL: [Template; 3] = [
        Template::ResetPassword,
        Template::Welcome,
        Template::PasswordChanged,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Template::ResetPassword => "reset-password",
            Template::Welcome => "welcome",
            Template::PasswordChanged => "password-changed",
        }
    }

    pub fn subject(self) -> &'static str {
        match self {
            Template::ResetPassword => "Unleash - Reset your password",
            Template::Welcome => "Unleash - Your account is ready",
            Template::PasswordChanged => "Unleash - Your password was changed",
        }
    }

    fn built_in(self) -> (&'static str, &'static str) {
        match self {
            Template::ResetPassword => (
                include_str!("../../templates/reset-password.html.hbs"),
                include_str!("../../templates/reset-password.txt.hbs"),
            ),
            Template::Welcome => (
                include_str!("../../templates/welcome.html.hbs"),
                include_str!("../../templates/welcome.txt.hbs"),
            ),
            Template::PasswordChanged => (
                include_str!("../../templates/password-changed.html.hbs"),
                include_str!("../../templates/password-changed.txt.hbs"),
            ),
        }
    }
}

/// What every template may use. `link` is ours (URL-safe) and goes in with `{{{link}}}`;
/// everything else is escaped.
#[derive(Debug, Serialize)]
pub struct MailVars<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub link: &'a str,
    pub unleash_url: &'a str,
}

pub struct Templates {
    registry: Handlebars<'static>,
}

impl Templates {
    /// The built-in templates, or the six files of `dir`
    /// (`<name>.html.hbs` and `<name>.txt.hbs` for each template).
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        for template in Template::ALL {
            let (html, text) = match dir {
                None => {
                    let (h, t) = template.built_in();
                    (h.to_string(), t.to_string())
                }
                Some(dir) => (
                    read(dir, &format!("{}.html.hbs", template.name()))?,
                    read(dir, &format!("{}.txt.hbs", template.name()))?,
                ),
            };
            registry
                .register_template_string(&format!("{}.html", template.name()), html)
                .map_err(|e| anyhow::anyhow!("mail template {}.html: {e}", template.name()))?;
            registry
                .register_template_string(&format!("{}.txt", template.name()), text)
                .map_err(|e| anyhow::anyhow!("mail template {}.txt: {e}", template.name()))?;
        }
        let templates = Templates { registry };
        let sample = MailVars {
            name: "Ada",
            email: "ada@example.com",
            link: "https://unleash.example.com/reset-password?token=sample",
            unleash_url: "https://unleash.example.com",
        };
        for template in Template::ALL {
            templates.render(template, &sample).map_err(|e| {
                let cause = e.source;
                anyhow::anyhow!("mail template {} does not render: {cause}", template.name())
            })?;
        }
        Ok(templates)
    }

    /// The HTML and the plain-text part.
    pub fn render(
        &self,
        template: Template,
        vars: &MailVars<'_>,
    ) -> Result<(String, String), RenderError> {
        let part = |suffix: &str| {
            self.registry
                .render(&format!("{}.{suffix}", template.name()), vars)
                .map_err(|source| RenderError {
                    template: template.name(),
                    source,
                })
        };
        Ok((part("html")?, part("txt")?))
    }
}

fn read(dir: &Path, file: &str) -> anyhow::Result<String> {
    let path = dir.join(file);
    std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("MAIL_TEMPLATES_DIR: cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_carries_the_link_and_escapes_a_hostile_name() {
        let templates = Templates::load(None).expect("built-in templates load");
        let link = "https://flags.example.com/reset-password?token=abc-DEF_123";
        let vars = MailVars {
            name: "<script>alert(1)</script>",
            email: "ada@example.com",
            link,
            unleash_url: "https://flags.example.com",
        };
        for template in Template::ALL {
            let (html, text) = templates.render(template, &vars).expect("renders");
            for part in [&html, &text] {
                assert!(!part.contains("<script>"), "{}: {part}", template.name());
                assert!(part.contains("&lt;script&gt;"), "{}", template.name());
                // The password-changed notice carries its "this wasn't me" link.
                assert!(part.contains(link), "{}: {part}", template.name());
            }
        }
    }

    #[test]
    fn a_broken_template_stops_loading() {
        let dir = tempfile::tempdir().expect("dir");
        for template in Template::ALL {
            let (h, t) = template.built_in();
            std::fs::write(dir.path().join(format!("{}.html.hbs", template.name())), h).unwrap();
            std::fs::write(dir.path().join(format!("{}.txt.hbs", template.name())), t).unwrap();
        }
        assert!(Templates::load(Some(dir.path())).is_ok());
        // An unknown variable fails in strict mode at start-up.
        std::fs::write(dir.path().join("welcome.txt.hbs"), "Hi {{nmae}}").unwrap();
        let err = Templates::load(Some(dir.path())).err().expect("refused");
        assert!(err.to_string().contains("welcome"), "{err}");
        // Bad syntax fails too.
        std::fs::write(dir.path().join("welcome.txt.hbs"), "Hi {{#if}}").unwrap();
        assert!(Templates::load(Some(dir.path())).is_err());
    }
}
