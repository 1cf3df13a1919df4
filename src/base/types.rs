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
    /// Failed log-ins for names that match no account, counted per minute (no name, no address).
    LoginFailedUnknownName,
    ResetRequested,
    PasswordReset,
    PasswordChanged,
    UserCreated,
    UserDeleted,
    ResetLinkCreated,
    PasswordSetByAdmin,
    /// A "this wasn't me" link was used: the steps it took follow as events of their own.
    TakeoverReported,
    /// Sessions of a user were ended (by a "this wasn't me" link, or by the user).
    SessionsEnded,
    /// Outstanding reset and invite tokens of a user were voided.
    TokensVoided,
    /// Password log-in is blocked until a new password is set.
    PasswordLoginBlocked,
}

impl EventKind {
    pub const ALL: [EventKind; 14] = [
        EventKind::LoginSucceeded,
        EventKind::LoginFailed,
        EventKind::LoginFailedUnknownName,
        EventKind::ResetRequested,
        EventKind::PasswordReset,
        EventKind::PasswordChanged,
        EventKind::UserCreated,
        EventKind::UserDeleted,
        EventKind::ResetLinkCreated,
        EventKind::PasswordSetByAdmin,
        EventKind::TakeoverReported,
        EventKind::SessionsEnded,
        EventKind::TokensVoided,
        EventKind::PasswordLoginBlocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::LoginSucceeded => "login-succeeded",
            EventKind::LoginFailed => "login-failed",
            EventKind::LoginFailedUnknownName => "login-failed-unknown-name",
            EventKind::ResetRequested => "reset-requested",
            EventKind::PasswordReset => "password-reset",
            EventKind::PasswordChanged => "password-changed",
            EventKind::UserCreated => "user-created",
            EventKind::UserDeleted => "user-deleted",
            EventKind::ResetLinkCreated => "reset-link-created",
            EventKind::PasswordSetByAdmin => "password-set-by-admin",
            EventKind::TakeoverReported => "takeover-reported",
            EventKind::SessionsEnded => "sessions-ended",
            EventKind::TokensVoided => "tokens-voided",
            EventKind::PasswordLoginBlocked => "password-login-blocked",
        }
    }
}

/// Who acted, as Unleash's event log identifies them (`created_by_user_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorId {
    User(UserId),
    /// An admin API token: Unleash's admin token user.
    AdminToken,
    /// Nobody logged in, or the operator: Unleash's system user.
    System,
}

impl ActorId {
    /// The id Unleash records: the user's, -42 for an admin token (`ADMIN_TOKEN_USER`), -1337
    /// for the system (`SYSTEM_USER`; also for a user id 0, as Unleash's `id || -1337`).
    pub fn unleash_id(self) -> i64 {
        match self {
            ActorId::User(UserId(id)) if id != 0 => id,
            ActorId::AdminToken => -42,
            ActorId::User(_) | ActorId::System => -1337,
        }
    }
}

/// A user's id, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// An id as a client sends it: one above `i64::MAX` is nobody's.
impl TryFrom<u64> for UserId {
    type Error = std::num::TryFromIntError;

    fn try_from(id: u64) -> Result<Self, Self::Error> {
        i64::try_from(id).map(UserId)
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The one normal form of what people type as an e-mail address or log-in name: trimmed and
/// lower-case. Addresses are stored in it, the failure budget counts names in it, and Gravatar keys
/// avatars by it.
pub fn normalise(typed: &str) -> String {
    typed.trim().to_lowercase()
}

/// A username as stored and matched (exactly, case and all): trimmed, not empty, and without a
/// NUL character (which no stored name has and PostgreSQL cannot even compare).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// `None` for a name no user can have.
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        (!trimmed.is_empty() && !trimmed.contains('\0')).then(|| Username(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::str::FromStr for Username {
    type Err = InvalidUsername;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Username::parse(s).ok_or(InvalidUsername)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("a username must not be empty nor contain a NUL character")]
pub struct InvalidUsername;

/// What a person typed into the log-in form's user name, and whom it can match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginName {
    typed: String,
    lookup: Option<Lookup>,
}

/// Whom a log-in name can match: an address when it contains `@` (matched case-insensitively),
/// otherwise an exact username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Email(Email),
    Username(Username),
}

impl LoginName {
    pub fn new(typed: impl Into<String>) -> Self {
        let typed = typed.into();
        let lookup = if typed.contains('@') {
            Email::parse(&typed).map(Lookup::Email)
        } else {
            Username::parse(&typed).map(Lookup::Username)
        };
        LoginName { typed, lookup }
    }

    /// The name exactly as typed (for the audit log).
    pub fn typed(&self) -> &str {
        &self.typed
    }

    /// Whom it can match; `None` for a name that matches nobody (empty, a NUL character, or an
    /// `@` that is no address).
    pub fn lookup(&self) -> Option<&Lookup> {
        self.lookup.as_ref()
    }

    /// The name in its [normal form](normalise): names that differ only in case or surrounding
    /// spaces are one name to the failure budget.
    pub fn normalised(&self) -> String {
        normalise(&self.typed)
    }
}

/// An e-mail address as stored: [normalised](normalise), with one `@` between non-empty parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Self> {
        let email = normalise(raw);
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

/// A value that must never be shown: a password, a token or a link that carries one, a
/// credential, a database URL with its password. Its `Debug` prints `[redacted]` and it has no
/// `Display`; the value is read with [`Secret::expose`], where it is used.
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_exposed(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

/// For settings read by clap.
impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// `UNLEASH_URL`, parsed once: the public address of the UI, which mailed links point to. It may
/// carry a sub-path (`https://host/ui`), under which the pages are also served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// As configured, without query, fragment or trailing `/`: ready to have a path appended.
    base: String,
    /// The path without a trailing `/` (`/ui`), or empty.
    sub_path: String,
    /// `scheme://host[:port]` as a browser writes it in `Origin` (lower case, no default port).
    origin: String,
    https: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum InvalidPublicUrl {
    #[error("not a URL ({0})")]
    Unreadable(#[from] url::ParseError),
    #[error("it must be an http:// or https:// URL with a host")]
    NotHttp,
}

impl PublicUrl {
    pub fn parse(raw: &str) -> Result<Self, InvalidPublicUrl> {
        let raw = raw.trim();
        let url = url::Url::parse(raw)?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(InvalidPublicUrl::NotHttp),
        };
        if url.host_str().is_none_or(str::is_empty) {
            return Err(InvalidPublicUrl::NotHttp);
        }
        let base = raw
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        Ok(PublicUrl {
            base,
            sub_path: url.path().trim_end_matches('/').to_string(),
            origin: url.origin().ascii_serialization(),
            https,
        })
    }

    /// The URL without a trailing `/` (`https://host/ui`).
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// `path` (which starts with `/`) under this URL: `https://host/ui` and `/new-user?token=T`
    /// give `https://host/ui/new-user?token=T`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The URL's path without a trailing `/` (`/ui` for `https://host/ui/`), or `None` at the root.
    pub fn sub_path(&self) -> Option<&str> {
        (!self.sub_path.is_empty()).then_some(self.sub_path.as_str())
    }

    /// The URL's origin, `scheme://host[:port]`, as a browser sends it in `Origin` (host in lower
    /// case, in punycode; the scheme's default port left out): `https://flags.example.com`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether the UI is served over https (the session cookie is then `Secure`).
    pub fn is_https(&self) -> bool {
        self.https
    }
}

impl std::str::FromStr for PublicUrl {
    type Err = InvalidPublicUrl;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PublicUrl::parse(s)
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

    /// The path of a URL without a trailing `/`, or `None` when it has none.
    fn sub_path(url: &str) -> Option<String> {
        PublicUrl::parse(url)
            .expect("a URL")
            .sub_path()
            .map(str::to_string)
    }

    #[test]
    fn sub_paths() {
        assert_eq!(sub_path("http://localhost:4242"), None);
        assert_eq!(sub_path("http://localhost:4242/"), None);
        assert_eq!(sub_path("https://host/ui").as_deref(), Some("/ui"));
        assert_eq!(sub_path("https://host/a/b/").as_deref(), Some("/a/b"));
        assert_eq!(sub_path("https://host/ui?x=1").as_deref(), Some("/ui"));
    }

    #[test]
    fn public_urls_are_parsed_once_for_links_and_cookies() {
        let url = PublicUrl::parse("https://flags.example.com/ui/").expect("a URL");
        assert_eq!(url.as_str(), "https://flags.example.com/ui");
        assert_eq!(
            url.join("/new-user?token=T"),
            "https://flags.example.com/ui/new-user?token=T"
        );
        assert!(url.is_https());
        assert_eq!(url.origin(), "https://flags.example.com");
        let plain = PublicUrl::parse("http://localhost:4242").expect("a URL");
        assert_eq!(plain.origin(), "http://localhost:4242");
        for (raw, origin) in [
            (
                "HTTPS://Flags.Example.COM:443/ui",
                "https://flags.example.com",
            ),
            ("http://flags.example.com:80", "http://flags.example.com"),
            (
                "https://flags.example.com:8443/",
                "https://flags.example.com:8443",
            ),
            ("http://[::1]:4242", "http://[::1]:4242"),
        ] {
            assert_eq!(
                PublicUrl::parse(raw).expect("a URL").origin(),
                origin,
                "{raw}"
            );
        }
        assert_eq!(plain.join("/x"), "http://localhost:4242/x");
        assert!(!plain.is_https());
        for bad in ["", "localhost:4242", "ftp://host/", "flags.example.com/ui"] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn log_in_names_match_an_address_a_username_or_nobody() {
        let address = LoginName::new(" Ada@Example.com");
        assert_eq!(
            address.lookup(),
            Some(&Lookup::Email(Email::parse("ada@example.com").unwrap()))
        );
        assert_eq!(address.typed(), " Ada@Example.com");
        assert_eq!(address.normalised(), "ada@example.com");
        assert_eq!(
            LoginName::new(" Ada ").lookup(),
            Some(&Lookup::Username(Username::parse("Ada").unwrap()))
        );
        for nobody in ["", "  ", "a\0b", "ada@", "@"] {
            assert_eq!(LoginName::new(nobody).lookup(), None, "{nobody:?}");
        }
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let secret = Secret::new("hunter2-Hunter2");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(secret.expose(), "hunter2-Hunter2");
    }
}
