#![allow(missing_docs, unused_variables, trivial_casts)]


#[allow(unused_imports)]
use futures::{future, Stream, stream};
#[allow(unused_imports)]
use unlatch_api::{Api, ApiNoContext, Claims, Client, ContextWrapperExt, models,
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
use clap::{Command, Arg};

// NOTE: Set environment variable RUST_LOG to the name of the executable (or "cargo run") to activate console logging for all loglevels.
//     See https://docs.rs/env_logger/latest/env_logger/  for more details

#[allow(unused_imports)]
use log::info;

// swagger::Has may be unused if there are no examples
#[allow(unused_imports)]
use swagger::{AuthData, ContextBuilder, EmptyContext, Has, Push, XSpanIdString};

type ClientContext = swagger::make_context_ty!(ContextBuilder, EmptyContext, Option<AuthData>, XSpanIdString);

mod client_auth;
use client_auth::build_token;


// rt may be unused if there are no examples
#[allow(unused_mut)]
fn main() {
    env_logger::init();

    let matches = Command::new("client")
        .arg(Arg::new("operation")
            .help("Sets the operation to run")
            .value_parser(Vec::<&str>::from([
                "Login",
                "Logout",
                "SendResetPasswordEmail",
                "ValidatePassword",
                "ValidateToken",
                "GetHealth",
                "GetHealthLive",
                "GetHealthReady",
                "GetMetrics",
                "GetOpenApiJson",
                "GetOpenApiSpec",
                "CreateUser",
                "EndMyOtherSessions",
                "GetEvents",
                "GetMe",
                "GetMySessions",
                "GetProfile",
                "GetUsers",
                "ResetUserPassword",
                "DeleteUser",
                "EndMySession",
                "GetUser",
            ]))
            .required(true)
            .index(1))
        .arg(Arg::new("https")
            .long("https")
            .help("Whether to use HTTPS or not"))
        .arg(Arg::new("host")
            .long("host")
            .default_value("localhost")
            .help("Hostname to contact"))
        .arg(Arg::new("port")
            .long("port")
            .value_parser(clap::value_parser!(u16))
            .default_value("4242")
            .help("Port to contact"))
        .get_matches();

    // Create Bearer-token with a fixed key (secret) for test purposes.
    // In a real (production) system this Bearer token should be obtained via an external Identity/Authentication-server
    // Ensure that you set the correct algorithm and encodingkey that matches what is used on the server side.
    // See https://github.com/Keats/jsonwebtoken for more information
    let auth_token = build_token(
            Claims {
                sub: "tester@acme.com".to_owned(),
                company: "ACME".to_owned(),
                iss: "my_identity_provider".to_owned(),
                // added a very long expiry time
                aud: "org.acme.Resource_Server".to_string(),
                exp: 10000000000,
                // In this example code all available Scopes are added, so the current Bearer Token gets fully authorization.
                scopes:
                  "".to_owned()
            },
            b"secret").unwrap();

    let auth_data = if !auth_token.is_empty() {
        Some(AuthData::Bearer(auth_token))
    } else {
        // No Bearer-token available, so return None
        None
    };

    let is_https = matches.contains_id("https");
    let base_url = format!("{}://{}:{}",
        if is_https { "https" } else { "http" },
        matches.get_one::<String>("host").unwrap(),
        matches.get_one::<u16>("port").unwrap());

    let context: ClientContext =
        swagger::make_context!(ContextBuilder, EmptyContext, auth_data, XSpanIdString::default());

    let mut client : Box<dyn ApiNoContext<ClientContext>> = {
        #[cfg(feature = "client-tls")]
        {
            if is_https {
                // Using HTTPS with native-tls
                let client = Box::new(Client::try_new_https(&base_url)
                    .expect("Failed to create HTTPS client"));
                Box::new(client.with_context(context))
            } else {
                // Using HTTP
                let client = Box::new(Client::try_new_http(&base_url)
                    .expect("Failed to create HTTP client"));
                Box::new(client.with_context(context))
            }
        }

        #[cfg(not(feature = "client-tls"))]
        {
            if is_https {
                panic!("HTTPS requested but TLS support not enabled. \
                        Enable the 'client-tls' feature to use HTTPS.");
            }
            // Using HTTP only
            let client = Box::new(Client::try_new_http(&base_url)
                .expect("Failed to create HTTP client"));
            Box::new(client.with_context(context))
        }
    };

    let mut rt = tokio::runtime::Runtime::new().unwrap();

    match matches.get_one::<String>("operation").map(String::as_str) {
        /* Disabled because there's no example.
        Some("ChangePassword") => {
            let result = rt.block_on(client.change_password(
                  ???
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        */
        Some("Login") => {
            let result = rt.block_on(client.login(
                  serde_json::from_str::<models::LoginSchema>(r#"{"username":"admin","password":"DtUYwi&l5I1KX4@Le"}"#).expect("Failed to parse JSON example")
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("Logout") => {
            let result = rt.block_on(client.logout(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        /* Disabled because there's no example.
        Some("ReportNotMe") => {
            let result = rt.block_on(client.report_not_me(
                  ???
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        */
        Some("SendResetPasswordEmail") => {
            let result = rt.block_on(client.send_reset_password_email(
                  serde_json::from_str::<models::EmailSchema>(r#"{"email":"user@example.com"}"#).expect("Failed to parse JSON example")
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("ValidatePassword") => {
            let result = rt.block_on(client.validate_password(
                  serde_json::from_str::<models::ValidatePasswordSchema>(r#"{"password":"simple123-_ASsad"}"#).expect("Failed to parse JSON example")
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("ValidateToken") => {
            let result = rt.block_on(client.validate_token(
                  Some("3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string())
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetHealth") => {
            let result = rt.block_on(client.get_health(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetHealthLive") => {
            let result = rt.block_on(client.get_health_live(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetHealthReady") => {
            let result = rt.block_on(client.get_health_ready(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetMetrics") => {
            let result = rt.block_on(client.get_metrics(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetOpenApiJson") => {
            let result = rt.block_on(client.get_open_api_json(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetOpenApiSpec") => {
            let result = rt.block_on(client.get_open_api_spec(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        /* Disabled because there's no example.
        Some("ChangeMyPassword") => {
            let result = rt.block_on(client.change_my_password(
                  ???
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        */
        Some("CreateUser") => {
            let result = rt.block_on(client.create_user(
                  serde_json::from_str::<models::CreateUserSchema>(r#"{"email":"new.user@example.com","name":"New User","rootRole":"Editor","sendEmail":true}"#).expect("Failed to parse JSON example")
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("EndMyOtherSessions") => {
            let result = rt.block_on(client.end_my_other_sessions(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetEvents") => {
            let result = rt.block_on(client.get_events(
                  Some(0),
                  Some(0)
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetMe") => {
            let result = rt.block_on(client.get_me(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetMySessions") => {
            let result = rt.block_on(client.get_my_sessions(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetProfile") => {
            let result = rt.block_on(client.get_profile(
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetUsers") => {
            let result = rt.block_on(client.get_users(
                  Some(0),
                  Some(0)
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("ResetUserPassword") => {
            let result = rt.block_on(client.reset_user_password(
                  serde_json::from_str::<models::IdSchema>(r#"{"id":"user@example.com"}"#).expect("Failed to parse JSON example")
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        /* Disabled because there's no example.
        Some("ValidateUserPassword") => {
            let result = rt.block_on(client.validate_user_password(
                  ???
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        */
        /* Disabled because there's no example.
        Some("ChangeUserPassword") => {
            let result = rt.block_on(client.change_user_password(
                  1,
                  ???
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        */
        Some("DeleteUser") => {
            let result = rt.block_on(client.delete_user(
                  1
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("EndMySession") => {
            let result = rt.block_on(client.end_my_session(
                  "0f1e2d3c4b5a69788796a5b4c3d2e1f0".to_string()
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        Some("GetUser") => {
            let result = rt.block_on(client.get_user(
                  1
            ));
            info!("{:?} (X-Span-ID: {:?})", result, (client.context() as &dyn Has<XSpanIdString>).get().clone());
        },
        _ => {
            panic!("Invalid operation provided")
        }
    }
}
