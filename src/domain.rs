//! Small domain types that parse their input once.

use serde::{Deserialize, Serialize};

/// The three root roles of CONTRACT §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RootRole {
    Admin = 1,
    Editor = 2,
    Viewer = 3,
}

impl RootRole {
    pub fn from_id(id: i64) -> Option<Self> {
        match id {
            1 => Some(RootRole::Admin),
            2 => Some(RootRole::Editor),
            3 => Some(RootRole::Viewer),
            _ => None,
        }
    }

    /// By name, as Unleash accepts it (`"Editor"`), or by id written as text (`"2"`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "Admin" => Some(RootRole::Admin),
            "Editor" => Some(RootRole::Editor),
            "Viewer" => Some(RootRole::Viewer),
            other => other.parse().ok().and_then(Self::from_id),
        }
    }

    pub fn id(self) -> i64 {
        self as i64
    }

    pub fn name(self) -> &'static str {
        match self {
            RootRole::Admin => "Admin",
            RootRole::Editor => "Editor",
            RootRole::Viewer => "Viewer",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            RootRole::Admin => "Users with the root admin role have superuser access to Unleash and can perform any operation within the Unleash platform.",
            RootRole::Editor => "Users with the root editor role have access to most features in Unleash, but can not manage users and roles in the root scope. Editors will be added as project owners when creating projects and get superuser rights within the context of these projects. Users with the editor role will also get access to most permissions on the default project by default.",
            RootRole::Viewer => "Users with the root viewer role can only read root resources in Unleash. Viewers can be added to specific projects as project members. Users with the viewer role may not view API tokens.",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Reset,
    Invite,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Reset => "reset",
            TokenKind::Invite => "invite",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "reset" => Some(TokenKind::Reset),
            "invite" => Some(TokenKind::Invite),
            _ => None,
        }
    }
}

/// What the audit log records (the `type` of an event in `openapi.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    LoginSucceeded,
    LoginFailed,
    ResetRequested,
    PasswordReset,
    PasswordChanged,
    UserCreated,
    UserDeleted,
    ResetLinkCreated,
    PasswordSetByAdmin,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::LoginSucceeded,
        EventKind::LoginFailed,
        EventKind::ResetRequested,
        EventKind::PasswordReset,
        EventKind::PasswordChanged,
        EventKind::UserCreated,
        EventKind::UserDeleted,
        EventKind::ResetLinkCreated,
        EventKind::PasswordSetByAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::LoginSucceeded => "login-succeeded",
            EventKind::LoginFailed => "login-failed",
            EventKind::ResetRequested => "reset-requested",
            EventKind::PasswordReset => "password-reset",
            EventKind::PasswordChanged => "password-changed",
            EventKind::UserCreated => "user-created",
            EventKind::UserDeleted => "user-deleted",
            EventKind::ResetLinkCreated => "reset-link-created",
            EventKind::PasswordSetByAdmin => "password-set-by-admin",
        }
    }
}

/// A user's id, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a person types into the log-in form's user name: an address when it contains `@`
/// (matched case-insensitively), otherwise an exact username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    Email(Email),
    Username(String),
}

impl LoginName {
    /// `None` for a name that can match nobody (empty, a NUL character, which no stored name
    /// has and PostgreSQL cannot even compare, or an `@` that is no address).
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.contains('\0') {
            None
        } else if trimmed.contains('@') {
            Email::parse(trimmed).map(LoginName::Email)
        } else {
            Some(LoginName::Username(trimmed.to_string()))
        }
    }
}

/// An e-mail address as stored: trimmed and lower-case, with one `@` between non-empty parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Self> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.split_once('@')?;
        let valid = !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && email.len() <= 254;
        valid.then_some(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_by_name_and_id() {
        assert_eq!(RootRole::parse("Editor"), Some(RootRole::Editor));
        assert_eq!(RootRole::parse("3"), Some(RootRole::Viewer));
        assert_eq!(RootRole::parse("Owner"), None);
        assert_eq!(RootRole::from_id(4), None);
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" Ada@Example.COM ").map(Email::into_string),
            Some("ada@example.com".to_string())
        );
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "a b@example.com",
            "a@b@c",
        ] {
            assert_eq!(Email::parse(bad), None, "{bad:?}");
        }
    }
}
