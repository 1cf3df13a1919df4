//! CLI tool driving the API client
use anyhow::{anyhow, Context, Result};
use clap::Parser;
use dialoguer::Confirm;
use log::{debug, info};
// models may be unused if all inputs are primitive types
#[allow(unused_imports)]
use unlatch_api::{
    models, ApiNoContext, Client, ContextWrapperExt,
    ChangePasswordResponse,
    LoginResponse,
    LogoutResponse,
    ReportNotMeResponse,
    SendResetPasswordEmailResponse,
    ValidatePasswordResponse,
    ValidateTokenResponse,
    GetHealthResponse,
    GetHealthLiveResponse,
    GetHealthReadyResponse,
    GetMetricsResponse,
    GetOpenApiJsonResponse,
    GetOpenApiSpecResponse,
    ChangeMyPasswordResponse,
    CreateUserResponse,
    EndMyOtherSessionsResponse,
    GetEventsResponse,
    GetMeResponse,
    GetMySessionsResponse,
    GetProfileResponse,
    GetUsersResponse,
    ResetUserPasswordResponse,
    ValidateUserPasswordResponse,
    ChangeUserPasswordResponse,
    DeleteUserResponse,
    EndMySessionResponse,
    GetUserResponse,
};
use simple_logger::SimpleLogger;
use swagger::{AuthData, ContextBuilder, EmptyContext, Push, XSpanIdString};

type ClientContext = swagger::make_context_ty!(
    ContextBuilder,
    EmptyContext,
    Option<AuthData>,
    XSpanIdString
);

#[derive(Parser, Debug)]
#[clap(
    name = "Unlatch",
    version = "0.1.0",
    about = "CLI access to Unlatch"
)]
struct Cli {
    #[clap(subcommand)]
    operation: Operation,

    /// Address or hostname of the server hosting this API, including optional port
    #[clap(short = 'a', long, default_value = "http://localhost")]
    server_address: String,

    /// Path to the client private key if using client-side TLS authentication
    #[cfg(all(feature = "client-tls", not(any(target_os = "macos", target_os = "windows", target_os = "ios"))))]
    #[clap(long, requires_all(&["client_certificate", "server_certificate"]))]
    client_key: Option<String>,

    /// Path to the client's public certificate associated with the private key
    #[cfg(all(feature = "client-tls", not(any(target_os = "macos", target_os = "windows", target_os = "ios"))))]
    #[clap(long, requires_all(&["client_key", "server_certificate"]))]
    client_certificate: Option<String>,

    /// Path to CA certificate used to authenticate the server
    #[cfg(all(feature = "client-tls", not(any(target_os = "macos", target_os = "windows", target_os = "ios"))))]
    #[clap(long)]
    server_certificate: Option<String>,

    /// If set, write output to file instead of stdout
    #[clap(short, long)]
    output_file: Option<String>,

    #[command(flatten)]
    verbosity: clap_verbosity_flag::Verbosity,

    /// Don't ask for any confirmation prompts
    #[allow(dead_code)]
    #[clap(short, long)]
    force: bool,

    /// Bearer token if used for authentication
    #[arg(env = "UNLATCH_API_BEARER_TOKEN", hide_env = true)]
    bearer_token: Option<String>,

    /// API key for authentication
    #[arg(long, env = "UNLATCH_API_API_KEY", hide_env = true)]
    api_key: Option<String>,
}

#[derive(Parser, Debug)]
enum Operation {
    /// Set a new password with a reset or invite token
    ChangePassword {
        #[clap(value_parser = parse_json::<models::ChangePasswordSchema>)]
        change_password_schema: models::ChangePasswordSchema,
    },
    /// Log in with a username or e-mail and a password
    Login {
        #[clap(value_parser = parse_json::<models::LoginSchema>)]
        login_schema: models::LoginSchema,
    },
    /// Log out
    Logout {
    },
    /// \"This wasn't me\": take the account back after a password change
    ReportNotMe {
        #[clap(value_parser = parse_json::<models::NotMeSchema>)]
        not_me_schema: models::NotMeSchema,
    },
    /// Request a reset-password e-mail
    SendResetPasswordEmail {
        #[clap(value_parser = parse_json::<models::EmailSchema>)]
        email_schema: models::EmailSchema,
    },
    /// Check a password against the password policy
    ValidatePassword {
        #[clap(value_parser = parse_json::<models::ValidatePasswordSchema>)]
        validate_password_schema: models::ValidatePasswordSchema,
    },
    /// Check a reset or invite token
    ValidateToken {
        /// The token from the reset or invite link.
        token: Option<String>,
    },
    /// Health check
    GetHealth {
    },
    /// Liveness, for an orchestrator
    GetHealthLive {
    },
    /// Readiness, for an orchestrator or a load balancer
    GetHealthReady {
    },
    /// Prometheus metrics
    GetMetrics {
    },
    /// This contract, as JSON
    GetOpenApiJson {
    },
    /// This contract
    GetOpenApiSpec {
    },
    /// Change your own password
    ChangeMyPassword {
        #[clap(value_parser = parse_json::<models::PasswordSchema>)]
        password_schema: models::PasswordSchema,
    },
    /// Create a user
    CreateUser {
        #[clap(value_parser = parse_json::<models::CreateUserSchema>)]
        create_user_schema: models::CreateUserSchema,
    },
    /// End all your sessions but this one
    EndMyOtherSessions {
    },
    /// The audit log, newest first
    GetEvents {
        /// How many events (1 to 500).
        limit: Option<u32>,
        /// How many of the newest events to skip.
        offset: Option<u64>,
    },
    /// The logged-in user
    GetMe {
    },
    /// Your own live sessions
    GetMySessions {
    },
    /// The logged-in user's profile
    GetProfile {
    },
    /// List users
    GetUsers {
        /// At most this many users (all of them when absent).
        limit: Option<u32>,
        /// How many users (by id) to skip.
        offset: Option<u64>,
    },
    /// Create a reset link for a user
    ResetUserPassword {
        #[clap(value_parser = parse_json::<models::IdSchema>)]
        id_schema: models::IdSchema,
    },
    /// Check a password against the password policy
    ValidateUserPassword {
        #[clap(value_parser = parse_json::<models::PasswordSchema>)]
        password_schema: models::PasswordSchema,
    },
    /// Set a user's password
    ChangeUserPassword {
        /// The user's id.
        id: u64,
        #[clap(value_parser = parse_json::<models::PasswordSchema>)]
        password_schema: models::PasswordSchema,
    },
    /// Delete a user
    DeleteUser {
        /// The user's id.
        id: u64,
    },
    /// End one of your sessions
    EndMySession {
        /// The session's `id` as the list shows it (not its secret).
        id: String,
    },
    /// Get a user
    GetUser {
        /// The user's id.
        id: u64,
    },
}

// On Linux/Unix with OpenSSL (client-tls feature), support certificate pinning and mutual TLS
#[cfg(all(feature = "client-tls", not(any(target_os = "macos", target_os = "windows", target_os = "ios"))))]
fn create_client(args: &Cli, context: ClientContext) -> Result<Box<dyn ApiNoContext<ClientContext>>> {
    if args.client_certificate.is_some() {
        debug!("Using mutual TLS");
        let client = Client::try_new_https_mutual(
            &args.server_address,
            args.server_certificate.clone().unwrap(),
            args.client_key.clone().unwrap(),
            args.client_certificate.clone().unwrap(),
        )
        .context("Failed to create HTTPS client")?;
        Ok(Box::new(client.with_context(context)))
    } else if args.server_certificate.is_some() {
        debug!("Using TLS with pinned server certificate");
        let client =
            Client::try_new_https_pinned(&args.server_address, args.server_certificate.clone().unwrap())
                .context("Failed to create HTTPS client")?;
        Ok(Box::new(client.with_context(context)))
    } else {
        debug!("Using client without certificates");
        let client =
            Client::try_new(&args.server_address).context("Failed to create HTTP(S) client")?;
        Ok(Box::new(client.with_context(context)))
    }
}

// On macOS/Windows/iOS or without client-tls feature, use simple client (no cert pinning/mutual TLS)
#[cfg(any(
    not(feature = "client-tls"),
    all(feature = "client-tls", any(target_os = "macos", target_os = "windows", target_os = "ios"))
))]
fn create_client(args: &Cli, context: ClientContext) -> Result<Box<dyn ApiNoContext<ClientContext>>> {
    // Client::try_new() automatically detects the URL scheme (http:// or https://)
    // and creates the appropriate client.
    // Note: Certificate pinning and mutual TLS are only available on Linux/Unix with OpenSSL
    let client =
        Client::try_new(&args.server_address).context("Failed to create HTTP(S) client")?;
    Ok(Box::new(client.with_context(context)))
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Cli::parse();
    if let Some(log_level) = args.verbosity.log_level() {
        SimpleLogger::new().with_level(log_level.to_level_filter()).init()?;
    }

    debug!("Arguments: {:?}", &args);

    let mut auth_data: Option<AuthData> = None;

    if let Some(ref bearer_token) = args.bearer_token {
        debug!("Using bearer token");
        auth_data = AuthData::bearer(bearer_token);
    }
    if let Some(ref api_key) = args.api_key {
        debug!("Using API key");
        auth_data = Some(AuthData::apikey(api_key));
    }

    #[allow(trivial_casts)]
    let context = swagger::make_context!(
        ContextBuilder,
        EmptyContext,
        auth_data,
        XSpanIdString::default()
    );

    let client = create_client(&args, context)?;

    let result = match args.operation {
        Operation::ChangePassword {
            change_password_schema,
        } => {
            info!("Performing a ChangePassword request");

            let result = client.change_password(
                change_password_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ChangePasswordResponse::PasswordChanged
                => "PasswordChanged\n".to_string()
                    ,
                ChangePasswordResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangePasswordResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangePasswordResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangePasswordResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangePasswordResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                ChangePasswordResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::Login {
            login_schema,
        } => {
            info!("Performing a Login request");

            let result = client.login(
                login_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                LoginResponse::LoggedIn
                {
                    body,
                    set_cookie,
                }
                => "LoggedIn\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "set_cookie: {}\n",
                        serde_json::to_string_pretty(&set_cookie)?
                    ),
                LoginResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                LoginResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                LoginResponse::Disabled
                (body)
                => "Disabled\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                LoginResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                LoginResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                LoginResponse::TooManyRequests
                {
                    body,
                    retry_after,
                }
                => "TooManyRequests\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                LoginResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                LoginResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::Logout {
        } => {
            info!("Performing a Logout request");

            let result = client.logout(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                LogoutResponse::LoggedOutNoContent
                {
                    set_cookie,
                    clear_site_data,
                }
                => "LoggedOutNoContent\n".to_string()
                    +
                    &format!(
                        "set_cookie: {}\n",
                        serde_json::to_string_pretty(&set_cookie)?
                    ) +
                    &format!(
                        "clear_site_data: {}\n",
                        serde_json::to_string_pretty(&clear_site_data)?
                    ),
                LogoutResponse::LoggedOut
                {
                    location,
                    set_cookie,
                    clear_site_data,
                }
                => "LoggedOut\n".to_string()
                    +
                    &format!(
                        "location: {}\n",
                        serde_json::to_string_pretty(&location)?
                    ) +
                    &format!(
                        "set_cookie: {}\n",
                        serde_json::to_string_pretty(&set_cookie)?
                    ) +
                    &format!(
                        "clear_site_data: {}\n",
                        serde_json::to_string_pretty(&clear_site_data)?
                    ),
            }
        }
        Operation::ReportNotMe {
            not_me_schema,
        } => {
            info!("Performing a ReportNotMe request");

            let result = client.report_not_me(
                not_me_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ReportNotMeResponse::Reported
                => "Reported\n".to_string()
                    ,
                ReportNotMeResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ReportNotMeResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ReportNotMeResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ReportNotMeResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ReportNotMeResponse::TooManyRequests
                {
                    body,
                    retry_after,
                }
                => "TooManyRequests\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                ReportNotMeResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ReportNotMeResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::SendResetPasswordEmail {
            email_schema,
        } => {
            info!("Performing a SendResetPasswordEmail request");

            let result = client.send_reset_password_email(
                email_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                SendResetPasswordEmailResponse::Accepted
                => "Accepted\n".to_string()
                    ,
                SendResetPasswordEmailResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                SendResetPasswordEmailResponse::NotFound
                (body)
                => "NotFound\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                SendResetPasswordEmailResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                SendResetPasswordEmailResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                SendResetPasswordEmailResponse::TooManyRequests
                {
                    body,
                    retry_after,
                }
                => "TooManyRequests\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                SendResetPasswordEmailResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                SendResetPasswordEmailResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::ValidatePassword {
            validate_password_schema,
        } => {
            info!("Performing a ValidatePassword request");

            let result = client.validate_password(
                validate_password_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ValidatePasswordResponse::PasswordValid
                => "PasswordValid\n".to_string()
                    ,
                ValidatePasswordResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidatePasswordResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidatePasswordResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidatePasswordResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::ValidateToken {
            token,
        } => {
            info!("Performing a ValidateToken request");

            let result = client.validate_token(
                token,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ValidateTokenResponse::TokenValid
                (body)
                => "TokenValid\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateTokenResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateTokenResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateTokenResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateTokenResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetHealth {
        } => {
            info!("Performing a GetHealth request");

            let result = client.get_health(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetHealthResponse::Healthy
                (body)
                => "Healthy\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetHealthResponse::Unhealthy
                (body)
                => "Unhealthy\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::GetHealthLive {
        } => {
            info!("Performing a GetHealthLive request");

            let result = client.get_health_live(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetHealthLiveResponse::Live
                (body)
                => "Live\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::GetHealthReady {
        } => {
            info!("Performing a GetHealthReady request");

            let result = client.get_health_ready(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetHealthReadyResponse::Ready
                (body)
                => "Ready\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetHealthReadyResponse::NotReady
                (body)
                => "NotReady\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::GetMetrics {
        } => {
            info!("Performing a GetMetrics request");

            let result = client.get_metrics(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetMetricsResponse::Metrics
                (body)
                => "Metrics\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMetricsResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMetricsResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMetricsResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMetricsResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetOpenApiJson {
        } => {
            info!("Performing a GetOpenApiJson request");

            let result = client.get_open_api_json(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetOpenApiJsonResponse::Spec
                (body)
                => "Spec\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::GetOpenApiSpec {
        } => {
            info!("Performing a GetOpenApiSpec request");

            let result = client.get_open_api_spec(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetOpenApiSpecResponse::Spec
                (body)
                => "Spec\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::ChangeMyPassword {
            password_schema,
        } => {
            info!("Performing a ChangeMyPassword request");

            let result = client.change_my_password(
                password_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ChangeMyPasswordResponse::PasswordChanged
                => "PasswordChanged\n".to_string()
                    ,
                ChangeMyPasswordResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeMyPasswordResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeMyPasswordResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeMyPasswordResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeMyPasswordResponse::TooManyRequests
                {
                    body,
                    retry_after,
                }
                => "TooManyRequests\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                ChangeMyPasswordResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                ChangeMyPasswordResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::CreateUser {
            create_user_schema,
        } => {
            info!("Performing a CreateUser request");

            let result = client.create_user(
                create_user_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                CreateUserResponse::Created
                {
                    body,
                    location,
                }
                => "Created\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "location: {}\n",
                        serde_json::to_string_pretty(&location)?
                    ),
                CreateUserResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                CreateUserResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                CreateUserResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                CreateUserResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                CreateUserResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                CreateUserResponse::TooManyRequests
                {
                    body,
                    retry_after,
                }
                => "TooManyRequests\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                CreateUserResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                CreateUserResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::EndMyOtherSessions {
        } => {
            prompt(args.force, "This will delete the given entry, are you sure?")?;
            info!("Performing a EndMyOtherSessions request");

            let result = client.end_my_other_sessions(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                EndMyOtherSessionsResponse::Ended
                => "Ended\n".to_string()
                    ,
                EndMyOtherSessionsResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMyOtherSessionsResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMyOtherSessionsResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMyOtherSessionsResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetEvents {
            limit,
            offset,
        } => {
            info!("Performing a GetEvents request");

            let result = client.get_events(
                limit,
                offset,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetEventsResponse::Events
                (body)
                => "Events\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetEventsResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetEventsResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetEventsResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetEventsResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetEventsResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetMe {
        } => {
            info!("Performing a GetMe request");

            let result = client.get_me(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetMeResponse::Me
                (body)
                => "Me\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMeResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMeResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMeResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetMySessions {
        } => {
            info!("Performing a GetMySessions request");

            let result = client.get_my_sessions(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetMySessionsResponse::Sessions
                (body)
                => "Sessions\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMySessionsResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMySessionsResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMySessionsResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetMySessionsResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetProfile {
        } => {
            info!("Performing a GetProfile request");

            let result = client.get_profile(
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetProfileResponse::Profile
                (body)
                => "Profile\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetProfileResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetProfileResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetProfileResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetUsers {
            limit,
            offset,
        } => {
            info!("Performing a GetUsers request");

            let result = client.get_users(
                limit,
                offset,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetUsersResponse::Users
                (body)
                => "Users\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUsersResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUsersResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUsersResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUsersResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUsersResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::ResetUserPassword {
            id_schema,
        } => {
            info!("Performing a ResetUserPassword request");

            let result = client.reset_user_password(
                id_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ResetUserPasswordResponse::ResetLink
                (body)
                => "ResetLink\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::NotFound
                (body)
                => "NotFound\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::TooManyRequests
                {
                    body,
                    retry_after,
                }
                => "TooManyRequests\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                ResetUserPasswordResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ResetUserPasswordResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::ValidateUserPassword {
            password_schema,
        } => {
            info!("Performing a ValidateUserPassword request");

            let result = client.validate_user_password(
                password_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ValidateUserPasswordResponse::PasswordValid
                => "PasswordValid\n".to_string()
                    ,
                ValidateUserPasswordResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateUserPasswordResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateUserPasswordResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateUserPasswordResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateUserPasswordResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateUserPasswordResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ValidateUserPasswordResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::ChangeUserPassword {
            id,
            password_schema,
        } => {
            info!("Performing a ChangeUserPassword request on {:?}", (
                &id
            ));

            let result = client.change_user_password(
                id,
                password_schema,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                ChangeUserPasswordResponse::PasswordChanged
                => "PasswordChanged\n".to_string()
                    ,
                ChangeUserPasswordResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeUserPasswordResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeUserPasswordResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeUserPasswordResponse::NotFound
                (body)
                => "NotFound\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeUserPasswordResponse::PayloadTooLarge
                (body)
                => "PayloadTooLarge\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeUserPasswordResponse::UnsupportedMediaType
                (body)
                => "UnsupportedMediaType\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                ChangeUserPasswordResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
                ChangeUserPasswordResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
            }
        }
        Operation::DeleteUser {
            id,
        } => {
            prompt(args.force, "This will delete the given entry, are you sure?")?;
            info!("Performing a DeleteUser request on {:?}", (
                &id
            ));

            let result = client.delete_user(
                id,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                DeleteUserResponse::Deleted
                => "Deleted\n".to_string()
                    ,
                DeleteUserResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                DeleteUserResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                DeleteUserResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                DeleteUserResponse::NotFound
                (body)
                => "NotFound\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                DeleteUserResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                DeleteUserResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::EndMySession {
            id,
        } => {
            prompt(args.force, "This will delete the given entry, are you sure?")?;
            info!("Performing a EndMySession request on {:?}", (
                &id
            ));

            let result = client.end_my_session(
                id,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                EndMySessionResponse::Ended
                => "Ended\n".to_string()
                    ,
                EndMySessionResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMySessionResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMySessionResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMySessionResponse::NotFound
                (body)
                => "NotFound\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMySessionResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                EndMySessionResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
        Operation::GetUser {
            id,
        } => {
            info!("Performing a GetUser request on {:?}", (
                &id
            ));

            let result = client.get_user(
                id,
            ).await?;
            debug!("Result: {:?}", result);

            match result {
                GetUserResponse::User
                (body)
                => "User\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUserResponse::BadRequest
                (body)
                => "BadRequest\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUserResponse::Unauthorized
                (body)
                => "Unauthorized\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUserResponse::Forbidden
                (body)
                => "Forbidden\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUserResponse::NotFound
                (body)
                => "NotFound\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUserResponse::InternalError
                (body)
                => "InternalError\n".to_string()
                   +
                    &serde_json::to_string_pretty(&body)?,
                GetUserResponse::ServiceUnavailable
                {
                    body,
                    retry_after,
                }
                => "ServiceUnavailable\n".to_string()
                   +
                    &format!("body: {}\n", serde_json::to_string_pretty(&body)?) +
                    &format!(
                        "retry_after: {}\n",
                        serde_json::to_string_pretty(&retry_after)?
                    ),
            }
        }
    };

    if let Some(output_file) = args.output_file {
        std::fs::write(output_file, result)?
    } else {
        println!("{}", result);
    }
    Ok(())
}

fn prompt(force: bool, text: &str) -> Result<()> {
    if force || Confirm::new().with_prompt(text).interact()? {
        Ok(())
    } else {
        Err(anyhow!("Aborting"))
    }
}

// May be unused if all inputs are primitive types
#[allow(dead_code)]
fn parse_json<T: serde::de::DeserializeOwned>(json_string: &str) -> Result<T> {
    serde_json::from_str(json_string).map_err(|err| anyhow!("Error parsing input: {}", err))
}
