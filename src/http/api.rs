//! The generated `Api` trait, implemented: each operation reads its input into domain types, calls
//! `domain/accounts/`, and translates the answer into the generated response type (the session
//! cookie and the log-out's `Location` are written here). The domain's errors become [`AppError`]s
//! (`errors.rs`, the one mapping to the contract) and go through [`crate::http::errors::respond`].

use std::sync::Arc;

use async_trait::async_trait;
use swagger::{ApiError, Nullable, OneOf2};
use unlatch_api::models::{self, RootRoleRefSchemaOneOf};
use unlatch_api::*;

use crate::base::metrics::{Levels, Metrics};
use crate::base::types::{ActorId, Email, LoginName, PublicUrl, RootRole, Secret, UserId};
use crate::domain::accounts::{AccountError, Accounts, CreateUserRequest, Origin};
use crate::domain::caller::Caller;
use crate::domain::password_policy::PasswordPolicy;
use crate::http::auth::SessionCookies;
use crate::http::context::RequestContext;
use crate::http::errors::{respond, AppError};
use crate::store::{Event, Millis, User};

use models::EventSchemaType as Kind;

/// The handlers' parts, shared (a clone is one reference count).
#[derive(Clone)]
pub struct Handlers {
    shared: Arc<Shared>,
}

pub struct Shared {
    accounts: Arc<Accounts>,
    metrics: Arc<Metrics>,
    policy: Arc<PasswordPolicy>,
    cookies: SessionCookies,
    /// `UNLEASH_URL`: the log-out's redirect goes under its path.
    public_url: PublicUrl,
    readiness: Readiness,
}

/// What `/health/ready` checks besides the database: the schema version this binary writes, and
/// the outbox worker's heartbeat.
#[derive(Debug, Clone)]
pub struct Readiness {
    pub expected_schema: u32,
    pub outbox: crate::mail::outbox::Heartbeat,
}

impl Handlers {
    pub fn new(
        accounts: Arc<Accounts>,
        metrics: Arc<Metrics>,
        policy: Arc<PasswordPolicy>,
        cookies: SessionCookies,
        public_url: PublicUrl,
        readiness: Readiness,
    ) -> Self {
        Handlers {
            shared: Arc::new(Shared {
                accounts,
                metrics,
                policy,
                cookies,
                public_url,
                readiness,
            }),
        }
    }

    /// The domain the handlers call (the front streams the user list from it).
    pub fn accounts(&self) -> &Arc<Accounts> {
        &self.shared.accounts
    }
}

impl std::ops::Deref for Handlers {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.shared
    }
}

impl Shared {
    /// `validate-password` (both of them): the policy, less the rules that Unleash's UI cannot
    /// show, which the call that sets the password reports instead (see
    /// `password_policy::LEFT_TO_THE_FINAL_CALL`).
    fn preview_policy(&self, password: &str) -> Result<(), AppError> {
        self.policy
            .preview(password)
            .map_err(|e| AccountError::from(e).into())
    }

    /// The page a browser is sent to after logging out: relative, under the base path of
    /// `UNLEASH_URL` (`/ui/signed-out` for `https://host/ui`), whatever origin serves the UI.
    fn signed_out_location(&self) -> String {
        format!(
            "{}/signed-out",
            self.public_url.sub_path().unwrap_or_default()
        )
    }
}

/// An event's `data` or `preData` (always an object, when there is one).
fn event_object(
    value: Option<serde_json::Value>,
) -> Nullable<std::collections::HashMap<String, serde_json::Value>> {
    match value {
        Some(serde_json::Value::Object(fields)) => Nullable::Present(fields.into_iter().collect()),
        _ => Nullable::Null,
    }
}

fn date(ms: Millis) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Every root role, as Unleash lists them.
pub fn root_roles() -> Vec<models::RoleSchema> {
    [RootRole::Admin, RootRole::Editor, RootRole::Viewer]
        .into_iter()
        .map(role_json)
        .collect()
}

/// A user as Unleash shows one: empty `name`, `username` and `email` are left out.
pub fn user_json(user: &User) -> models::UserSchema {
    let mut out = models::UserSchema::new(user.id.0);
    out.image_url = Some(user.image_url());
    out.name = user.name.clone().map(Nullable::Present);
    out.username = user.username.clone().map(Nullable::Present);
    out.email = user.email.as_ref().map(|e| e.as_str().to_string());
    out.seen_at = Some(match user.seen_at {
        Some(ms) => Nullable::Present(date(ms)),
        None => Nullable::Null,
    });
    out.login_attempts = Some(u32::try_from(user.login_attempts).unwrap_or(0));
    out.created_at = Some(date(user.created_at));
    out.account_type = Some(models::UserSchemaAccountType::User);
    out.root_role = Some(user.root_role.id() as u32);
    let extra = unleash_fields(user);
    out.scim_id = Some(extra.scim_id);
    out.seat_type = Some(extra.seat_type);
    out.company_role = Some(extra.company_role);
    out.product_updates_email_consent = Some(extra.product_updates_email_consent);
    out
}

/// The user fields only Unleash sets, as its serializer writes them: `null` when unset.
struct ShownUnleashFields {
    scim_id: Nullable<String>,
    seat_type: Nullable<String>,
    company_role: Nullable<String>,
    product_updates_email_consent: Nullable<bool>,
}

fn unleash_fields(user: &User) -> ShownUnleashFields {
    let shown = |value: &Option<String>| value.clone().map_or(Nullable::Null, Nullable::Present);
    ShownUnleashFields {
        scim_id: shown(&user.unleash.scim_id),
        seat_type: shown(&user.unleash.seat_type),
        company_role: shown(&user.unleash.company_role),
        product_updates_email_consent: user
            .unleash
            .product_updates_email_consent
            .map_or(Nullable::Null, Nullable::Present),
    }
}

pub fn role_json(role: RootRole) -> models::RoleSchema {
    let mut out = models::RoleSchema::new(role.id() as i32, role.name().into(), "root".into());
    out.description = Some(role.description().into());
    out
}

/// Who is asking, from where, for the audit log: the caller as Unleash's event log names it.
fn caller_origin(context: &RequestContext) -> Origin {
    let (actor, actor_id) = context.caller.as_ref().map_or_else(
        || {
            (
                crate::domain::accounts::ANONYMOUS.to_string(),
                ActorId::System,
            )
        },
        Caller::actor,
    );
    Origin {
        actor,
        actor_id,
        ip: Some(context.client_ip.to_string()),
        user_agent: context.user_agent.clone(),
    }
}

/// The same, for a public call that names its actor itself (a log-in, a token).
fn origin(context: &RequestContext, actor: String) -> Origin {
    Origin {
        actor,
        ..caller_origin(context)
    }
}

fn caller(context: &RequestContext) -> Result<&Caller, AppError> {
    // The front only lets requests for secured operations through with a caller.
    context
        .caller
        .as_ref()
        .ok_or(AppError::AuthenticationRequired)
}

/// An id in a path: one that no user can have is nobody's.
fn user_id(id: u64) -> Result<UserId, AccountError> {
    UserId::try_from(id).map_err(|_| AccountError::UserNotFound)
}

#[async_trait]
impl Api<RequestContext> for Handlers {
    async fn get_health(&self, _context: &RequestContext) -> Result<GetHealthResponse, ApiError> {
        Ok(match self.accounts.database_answers().await {
            Ok(()) => GetHealthResponse::Healthy(models::HealthCheckSchema::new(
                models::HealthCheckSchemaHealth::Good,
            )),
            Err(e) => {
                tracing::error!(error = %e, "health check: the database does not answer");
                GetHealthResponse::Unhealthy(models::HealthCheckSchema::new(
                    models::HealthCheckSchemaHealth::Bad,
                ))
            }
        })
    }

    async fn get_health_live(
        &self,
        _context: &RequestContext,
    ) -> Result<GetHealthLiveResponse, ApiError> {
        Ok(GetHealthLiveResponse::Live(models::HealthCheckSchema::new(
            models::HealthCheckSchemaHealth::Good,
        )))
    }

    async fn get_health_ready(
        &self,
        _context: &RequestContext,
    ) -> Result<GetHealthReadyResponse, ApiError> {
        let expected = self.readiness.expected_schema;
        let found = match self.accounts.schema_version().await {
            Ok(version) => Some(version.database),
            Err(e) => {
                tracing::error!(error = %e, "readiness: the database does not answer");
                None
            }
        };
        let outbox = self.readiness.outbox.running();
        if found.is_some_and(|v| v != expected) {
            tracing::error!(
                found,
                expected,
                "readiness: the database's schema version is not this binary's"
            );
        }
        if !outbox {
            tracing::warn!("readiness: the outbox worker is not running");
        }
        let ready = found == Some(expected) && outbox;
        let mut body = models::ReadinessSchema::new(
            if ready {
                models::ReadinessSchemaHealth::Good
            } else {
                models::ReadinessSchemaHealth::Bad
            },
            if found.is_some() {
                models::ReadinessSchemaDatabase::Up
            } else {
                models::ReadinessSchemaDatabase::Down
            },
            expected,
            if outbox {
                models::ReadinessSchemaOutbox::Running
            } else {
                models::ReadinessSchemaOutbox::Stopped
            },
        );
        body.schema_version = found;
        Ok(if ready {
            GetHealthReadyResponse::Ready(body)
        } else {
            GetHealthReadyResponse::NotReady(body)
        })
    }

    async fn login(
        &self,
        body: models::LoginSchema,
        context: &RequestContext,
    ) -> Result<LoginResponse, ApiError> {
        let name = LoginName::new(body.username);
        let origin = origin(context, name.typed().to_string());
        let device = context.device.as_ref().map(Secret::expose);
        let result = self
            .accounts
            .login(&name, Secret::new(body.password), device, &origin)
            .await
            .map_err(AppError::from);
        respond(result.map(|outcome| {
            // The front appends it beside the session cookie, for a browser only.
            if context.from_browser {
                let _ = context
                    .extra_cookie
                    .set(self.cookies.device(&outcome.device));
            }
            LoginResponse::LoggedIn {
                body: user_json(&outcome.user),
                set_cookie: Some(self.cookies.set(&outcome.session.value, outcome.expires_at)),
            }
        }))
    }

    async fn logout(&self, context: &RequestContext) -> Result<LogoutResponse, ApiError> {
        if let Err(e) = self.accounts.log_out(context.session.as_ref()).await {
            // Logging out never fails for the user: the cookie is cleared either way.
            tracing::error!(error = %e, "logout: could not delete the session");
        }
        let set_cookie = Some(self.cookies.cleared());
        let clear_site_data = Some("\"cookies\", \"storage\"".into());
        // Unleash's UI logs out with a form: the browser follows the redirect. API clients get 204.
        Ok(if context.accepts_html {
            LogoutResponse::LoggedOut {
                location: Some(self.signed_out_location()),
                set_cookie,
                clear_site_data,
            }
        } else {
            LogoutResponse::LoggedOutNoContent {
                set_cookie,
                clear_site_data,
            }
        })
    }

    async fn validate_password(
        &self,
        body: models::ValidatePasswordSchema,
        _context: &RequestContext,
    ) -> Result<ValidatePasswordResponse, ApiError> {
        respond(
            self.preview_policy(&body.password)
                .map(|()| ValidatePasswordResponse::PasswordValid),
        )
    }

    async fn validate_user_password(
        &self,
        body: models::PasswordSchema,
        _context: &RequestContext,
    ) -> Result<ValidateUserPasswordResponse, ApiError> {
        respond(
            self.preview_policy(&body.password)
                .map(|()| ValidateUserPasswordResponse::PasswordValid),
        )
    }

    async fn validate_token(
        &self,
        token: Option<String>,
        context: &RequestContext,
    ) -> Result<ValidateTokenResponse, ApiError> {
        let token = token.map(Secret::new);
        let result = self
            .accounts
            .validate_token(token.as_ref(), context.session.as_ref())
            .await
            .map_err(AppError::from)
            .map(|(record, user)| {
                let mut body = models::TokenUserSchema::new(
                    user.id.0,
                    user.email.map(|e| e.into_string()).unwrap_or_default(),
                    token.map(Secret::into_exposed).unwrap_or_default(),
                    Nullable::Present(record.created_by),
                    role_json(user.root_role),
                );
                body.name = user.name.clone().map(Nullable::Present);
                ValidateTokenResponse::TokenValid(body)
            });
        respond(result)
    }

    async fn change_password(
        &self,
        body: models::ChangePasswordSchema,
        context: &RequestContext,
    ) -> Result<ChangePasswordResponse, ApiError> {
        let result = self
            .accounts
            .reset_password(
                &Secret::new(body.token),
                Secret::new(body.password),
                context.session.as_ref(),
                &origin(context, "token".into()),
            )
            .await
            .map_err(AppError::from);
        respond(result.map(|_| ChangePasswordResponse::PasswordChanged))
    }

    async fn send_reset_password_email(
        &self,
        body: models::EmailSchema,
        context: &RequestContext,
    ) -> Result<SendResetPasswordEmailResponse, ApiError> {
        let result = self
            .accounts
            .request_reset_email(
                &body.email,
                &origin(context, crate::domain::accounts::ANONYMOUS.into()),
            )
            .await
            .map_err(AppError::from);
        respond(result.map(|()| SendResetPasswordEmailResponse::Accepted))
    }

    async fn report_not_me(
        &self,
        body: models::NotMeSchema,
        context: &RequestContext,
    ) -> Result<ReportNotMeResponse, ApiError> {
        let result = self
            .accounts
            .not_me(&Secret::new(body.token), &origin(context, "token".into()))
            .await
            .map_err(AppError::from);
        respond(result.map(|()| ReportNotMeResponse::Reported))
    }

    async fn get_my_sessions(
        &self,
        context: &RequestContext,
    ) -> Result<GetMySessionsResponse, ApiError> {
        let result = async {
            let sessions = self.accounts.own_sessions(caller(context)?).await?;
            Ok(GetMySessionsResponse::Sessions(
                models::SessionsSchema::new(
                    sessions
                        .into_iter()
                        .map(|s| {
                            let mut out =
                                models::SessionSchema::new(s.id, date(s.created_at), s.current);
                            out.user_agent = s.client.user_agent;
                            out.ip = s.client.ip;
                            out
                        })
                        .collect(),
                ),
            ))
        }
        .await;
        respond(result)
    }

    async fn end_my_other_sessions(
        &self,
        context: &RequestContext,
    ) -> Result<EndMyOtherSessionsResponse, ApiError> {
        let result = async {
            self.accounts
                .end_other_sessions(caller(context)?, &caller_origin(context))
                .await?;
            Ok(EndMyOtherSessionsResponse::Ended)
        }
        .await;
        respond(result)
    }

    async fn end_my_session(
        &self,
        id: String,
        context: &RequestContext,
    ) -> Result<EndMySessionResponse, ApiError> {
        let result = async {
            self.accounts
                .end_own_session(caller(context)?, &id, &caller_origin(context))
                .await?;
            Ok(EndMySessionResponse::Ended)
        }
        .await;
        respond(result)
    }

    async fn get_me(&self, context: &RequestContext) -> Result<GetMeResponse, ApiError> {
        let result = caller(context).map(|caller| {
            let user = match caller {
                Caller::User { user, .. } | Caller::UserToken { user } => user_json(user),
                // An admin token acts as the system, not as a stored user.
                Caller::AdminToken { name } => {
                    let mut u = models::UserSchema::new(0);
                    u.username = Some(Nullable::Present(name.clone()));
                    u.account_type = Some(models::UserSchemaAccountType::ServiceAccount);
                    u.root_role = Some(RootRole::Admin.id() as u32);
                    u
                }
            };
            let permissions = if caller.is_admin() {
                vec![models::PermissionSchema::new("ADMIN".into())]
            } else {
                Vec::new()
            };
            GetMeResponse::Me(models::MeSchema::new(
                user,
                permissions,
                Vec::new(),
                Default::default(),
            ))
        });
        respond(result)
    }

    async fn get_profile(&self, context: &RequestContext) -> Result<GetProfileResponse, ApiError> {
        let result = caller(context).map(|caller| {
            let role = match caller {
                Caller::User { user, .. } | Caller::UserToken { user } => user.root_role,
                Caller::AdminToken { .. } => RootRole::Admin,
            };
            GetProfileResponse::Profile(models::ProfileSchema::new(
                Vec::new(),
                Vec::new(),
                role_json(role),
                Vec::new(),
                Vec::new(),
                true,
            ))
        });
        respond(result)
    }

    async fn change_my_password(
        &self,
        body: models::PasswordSchema,
        context: &RequestContext,
    ) -> Result<ChangeMyPasswordResponse, ApiError> {
        let result = async {
            let confirm = body.confirm_password.map(Secret::new);
            self.accounts
                .change_own_password(
                    caller(context)?,
                    Secret::new(body.password),
                    confirm.as_ref(),
                    body.old_password.map(Secret::new),
                    &caller_origin(context),
                )
                .await?;
            Ok(ChangeMyPasswordResponse::PasswordChanged)
        }
        .await;
        respond(result)
    }

    async fn create_user(
        &self,
        body: models::CreateUserSchema,
        context: &RequestContext,
    ) -> Result<CreateUserResponse, ApiError> {
        let result = async {
            let caller = caller(context)?;
            // Echoed exactly as sent, as Unleash does.
            let sent_role = body.root_role.clone();
            let root_role = match &*body.root_role {
                OneOf2::A(id) => RootRole::from_id(i64::from(*id)),
                OneOf2::B(name) => RootRole::parse(match name {
                    RootRoleRefSchemaOneOf::Admin => "Admin",
                    RootRoleRefSchemaOneOf::Editor => "Editor",
                    RootRoleRefSchemaOneOf::Viewer => "Viewer",
                }),
            };
            let created = self
                .accounts
                .create_user(
                    &caller.token_creator(),
                    CreateUserRequest {
                        email: body.email,
                        username: body.username,
                        name: body.name,
                        password: body.password.map(Secret::new),
                        root_role,
                        send_email: body.send_email.unwrap_or(true),
                    },
                    &caller_origin(context),
                )
                .await?;
            let user = created.user;
            let plain = user_json(&user);
            let mut out =
                models::CreateUserResponseSchema::new(user.id.0, sent_role, created.email_sent);
            out.image_url = plain.image_url;
            out.name = plain.name;
            out.email = plain.email;
            out.username = plain.username;
            out.seen_at = plain.seen_at;
            out.login_attempts = Some(user.login_attempts as i32);
            out.created_at = plain.created_at;
            out.account_type = Some("User".into());
            out.invite_link = Some(created.invite_link.into_exposed());
            let extra = unleash_fields(&user);
            out.scim_id = Some(extra.scim_id);
            out.seat_type = Some(extra.seat_type);
            out.company_role = Some(extra.company_role);
            out.product_updates_email_consent = Some(extra.product_updates_email_consent);
            Ok(CreateUserResponse::Created {
                body: out,
                location: Some(user.id.to_string()),
            })
        }
        .await;
        respond(result)
    }

    /// Never reached: the front answers this operation itself, streaming the list page by page
    /// in flat memory (`user_list`), which a generated response (one whole body) cannot.
    async fn get_users(
        &self,
        _limit: Option<u32>,
        _offset: Option<u64>,
        _context: &RequestContext,
    ) -> Result<GetUsersResponse, ApiError> {
        Err(ApiError(
            "the user list reached its Api method; the front streams it".into(),
        ))
    }

    async fn get_user(
        &self,
        id: u64,
        _context: &RequestContext,
    ) -> Result<GetUserResponse, ApiError> {
        let result = async { self.accounts.get_user(user_id(id)?).await }.await;
        respond(
            result
                .map_err(AppError::from)
                .map(|u| GetUserResponse::User(user_json(&u))),
        )
    }

    async fn delete_user(
        &self,
        id: u64,
        context: &RequestContext,
    ) -> Result<DeleteUserResponse, ApiError> {
        let origin = caller_origin(context);
        let result = async { self.accounts.delete_user(user_id(id)?, &origin).await }.await;
        respond(
            result
                .map_err(AppError::from)
                .map(|()| DeleteUserResponse::Deleted),
        )
    }

    async fn reset_user_password(
        &self,
        body: models::IdSchema,
        context: &RequestContext,
    ) -> Result<ResetUserPasswordResponse, ApiError> {
        let result = async {
            let caller = caller(context)?;
            let origin = caller_origin(context);
            // An id that is no address is nobody's.
            let email = Email::parse(&body.id).ok_or(AccountError::UserNotFound)?;
            let link = self
                .accounts
                .admin_reset_link(caller, &email, &origin)
                .await?;
            Ok(ResetUserPasswordResponse::ResetLink(
                models::ResetPasswordSchema::new(link.into_exposed()),
            ))
        }
        .await;
        respond(result)
    }

    async fn change_user_password(
        &self,
        id: u64,
        body: models::PasswordSchema,
        context: &RequestContext,
    ) -> Result<ChangeUserPasswordResponse, ApiError> {
        let result = async {
            let origin = caller_origin(context);
            self.accounts
                .admin_change_password(user_id(id)?, Secret::new(body.password), &origin)
                .await?;
            Ok(ChangeUserPasswordResponse::PasswordChanged)
        }
        .await;
        respond(result)
    }

    async fn get_events(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        _context: &RequestContext,
    ) -> Result<GetEventsResponse, ApiError> {
        let limit = limit.unwrap_or(50).clamp(1, 500) as usize;
        let result = self
            .accounts
            .events(limit, offset.unwrap_or(0))
            .await
            .map_err(AppError::from)
            .and_then(|(events, total)| {
                let events = events
                    .into_iter()
                    .map(
                        |Event {
                             id,
                             event: e,
                             count,
                         }| {
                            let kind = e.kind.parse::<Kind>().map_err(AppError::internal)?;
                            let mut out =
                                models::EventSchema::new(id, kind, date(e.created_at), e.actor);
                            out.subject = Some(e.subject.map_or(Nullable::Null, Nullable::Present));
                            out.ip = Some(e.ip.map_or(Nullable::Null, Nullable::Present));
                            out.count = Some(count);
                            out.created_by_user_id =
                                Some(e.actor_id.map_or(Nullable::Null, Nullable::Present));
                            out.data = Some(event_object(e.data));
                            out.pre_data = Some(event_object(e.pre_data));
                            Ok(out)
                        },
                    )
                    .collect::<Result<Vec<_>, AppError>>()?;
                Ok(GetEventsResponse::Events(models::EventsSchema::new(
                    events, total,
                )))
            });
        respond(result)
    }

    async fn get_metrics(&self, _context: &RequestContext) -> Result<GetMetricsResponse, ApiError> {
        let result = async {
            let (outbox_pending, outbox_dead) = self.accounts.outbox_counts().await?;
            self.metrics
                .render(Levels {
                    hash_queue: self.accounts.hash_queue_depth(),
                    outbox_pending,
                    outbox_dead,
                })
                .map(GetMetricsResponse::Metrics)
                .map_err(AppError::internal)
        }
        .await;
        respond(result)
    }

    async fn get_open_api_json(
        &self,
        _context: &RequestContext,
    ) -> Result<GetOpenApiJsonResponse, ApiError> {
        let document = crate::http::spec::openapi_json().map_err(|e| ApiError(e.to_string()))?;
        Ok(GetOpenApiJsonResponse::Spec(document.clone()))
    }

    async fn get_open_api_spec(
        &self,
        _context: &RequestContext,
    ) -> Result<GetOpenApiSpecResponse, ApiError> {
        Ok(GetOpenApiSpecResponse::Spec(swagger::ByteArray(
            crate::http::spec::OPENAPI_YAML.as_bytes().to_vec(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::types::EventKind;
    use crate::domain::accounts::{Field, Problem, Throttle};
    use crate::store::StoreError;

    #[test]
    fn a_refused_field_is_answered_at_its_place_in_the_body() {
        let refused = |field, problem| {
            let body = AppError::from(AccountError::BadInput { field, problem }).body();
            let detail = &body.details.expect("details")[0];
            (detail.path.clone().expect("a path"), detail.message.clone())
        };
        assert_eq!(
            refused(Field::Name, Problem::ContainsNul),
            (
                "/body/name".to_string(),
                "The `/body/name` property must not contain a NUL character.".to_string()
            )
        );
        assert_eq!(
            refused(
                Field::ConfirmPassword,
                Problem::DiffersFrom(Field::Password)
            )
            .1,
            "The `/body/confirmPassword` property must be the same as `/body/password`."
        );
    }

    #[test]
    fn causes_are_kept_for_the_log_and_never_sent() {
        let failed = AccountError::from(StoreError::backend("disk on fire"));
        assert!(crate::base::causes::with_causes(&failed).contains("disk on fire"));
        let answer = AppError::from(failed);
        assert!(matches!(&answer, AppError::Internal(cause) if cause.contains("disk on fire")));
        assert_eq!(answer.status(), 500);
        let body = serde_json::to_string(&answer.body()).expect("JSON");
        assert!(!body.contains("disk on fire"), "{body}");
    }

    #[test]
    fn a_throttle_waits_whole_seconds() {
        let wait = |ms| {
            AppError::from(AccountError::Throttled {
                throttle: Throttle::ResetLink,
                retry_after: std::time::Duration::from_millis(ms),
            })
            .retry_after()
        };
        assert_eq!(wait(1_500), Some(2));
        assert_eq!(wait(0), Some(1));
    }

    #[test]
    fn no_user_found_is_the_domain_s_message_and_the_contract_s() {
        assert_eq!(AccountError::UserNotFound.to_string(), "No user found");
        let answer = AppError::from(AccountError::UserNotFound);
        assert_eq!(
            (answer.status(), answer.message()),
            (404, "No user found".into())
        );
    }

    #[test]
    fn every_domain_event_kind_is_a_type_of_the_spec() {
        for kind in EventKind::ALL {
            let parsed = kind.as_str().parse::<Kind>();
            assert!(parsed.is_ok(), "{kind:?} is not in openapi.yaml");
            assert_eq!(
                parsed.map(|k| k.to_string()).ok().as_deref(),
                Some(kind.as_str())
            );
        }
    }
}
