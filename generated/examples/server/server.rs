//! Main library entry point for unlatch_api implementation.

#![allow(unused_imports)]

use async_trait::async_trait;
use futures::{future, Stream, StreamExt, TryFutureExt, TryStreamExt};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper::service::{service_fn, Service};
use log::info;
use std::future::Future;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use swagger::{Has, XSpanIdString};
use swagger::auth::MakeAllowAllAuthenticator;
use swagger::EmptyContext;
use tokio::net::TcpListener;

#[cfg(not(any(target_os = "macos", target_os = "windows", target_os = "ios")))]
use openssl::ssl::{Ssl, SslAcceptor, SslAcceptorBuilder, SslFiletype, SslMethod};

use unlatch_api::models;

/// Builds an SSL implementation for Simple HTTPS from some hard-coded file names
pub async fn create(addr: &str, https: bool) {
    let addr: SocketAddr = addr.parse().expect("Failed to parse bind address");
    let listener = TcpListener::bind(&addr).await.unwrap();

    let server = Server::new();

    let service = MakeService::new(server);
    let service = MakeAllowAllAuthenticator::new(service, "cosmo");

    #[allow(unused_mut)]
    let mut service =
        unlatch_api::server::context::MakeAddContext::<_, EmptyContext>::new(
            service
        );

    if https {
        #[cfg(any(target_os = "macos", target_os = "windows", target_os = "ios"))]
        {
            unimplemented!("SSL is not implemented for the examples on MacOS, Windows or iOS");
        }

        #[cfg(not(any(target_os = "macos", target_os = "windows", target_os = "ios")))]
        {
            let mut ssl = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).expect("Failed to create SSL Acceptor");

            // Server authentication
            ssl.set_private_key_file("examples/server-key.pem", SslFiletype::PEM).expect("Failed to set private key");
            ssl.set_certificate_chain_file("examples/server-chain.pem").expect("Failed to set certificate chain");
            ssl.check_private_key().expect("Failed to check private key");

            let tls_acceptor = ssl.build();

            info!("Starting a server (with https)");
            loop {
                if let Ok((tcp, addr)) = listener.accept().await {
                    let ssl = Ssl::new(tls_acceptor.context()).unwrap();
                    let service = service.call(addr);

                    tokio::spawn(async move {
                        let tls = tokio_openssl::SslStream::new(ssl, tcp).map_err(|_| ())?;
                        let service = service.await.map_err(|_| ())?;

                        http1::Builder::new()
                            .serve_connection(TokioIo::new(tls), service)
                            .await
                            .map_err(|_| ())
                    });
                }
            }
        }
    } else {
        info!("Starting a server (over http, so no TLS)");
        println!("Listening on http://{}", addr);

        loop {
            // When an incoming TCP connection is received grab a TCP stream for
            // client<->server communication.
            //
            // Note, this is a .await point, this loop will loop forever but is not a busy loop. The
            // .await point allows the Tokio runtime to pull the task off of the thread until the task
            // has work to do. In this case, a connection arrives on the port we are listening on and
            // the task is woken up, at which point the task is then put back on a thread, and is
            // driven forward by the runtime, eventually yielding a TCP stream.
            let (tcp_stream, addr) = listener.accept().await.expect("Failed to accept connection");

            let service = service.call(addr).await.unwrap();
            let io = TokioIo::new(tcp_stream);
            // Spin up a new task in Tokio so we can continue to listen for new TCP connection on the
            // current task without waiting for the processing of the HTTP1 connection we just received
            // to finish
            tokio::task::spawn(async move {
                // Handle the connection from the client using HTTP1 and pass any
                // HTTP requests received on that connection to the `hello` function
                let result = http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
                if let Err(err) = result
                {
                    println!("Error serving connection: {err:?}");
                }
            });
        }
    }
}

#[derive(Copy)]
pub struct Server<C> {
    marker: PhantomData<C>,
}

impl<C> Server<C> {
    pub fn new() -> Self {
        Server{marker: PhantomData}
    }
}

impl<C> Clone for Server<C> {
    fn clone(&self) -> Self {
        Self {
            marker: PhantomData,
        }
    }
}


use jsonwebtoken::{decode, encode, errors::Error as JwtError, Algorithm, DecodingKey, EncodingKey, Header, TokenData, Validation};
use serde::{Deserialize, Serialize};
use swagger::auth::Authorization;
use crate::server_auth;


use unlatch_api::{
    Api,
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
use unlatch_api::server::MakeService;
use std::error::Error;
use swagger::ApiError;

#[async_trait]
impl<C> Api<C> for Server<C> where C: Has<XSpanIdString> + Send + Sync
{
    /// Set a new password with a reset or invite token
    async fn change_password(
        &self,
        change_password_schema: models::ChangePasswordSchema,
        context: &C) -> Result<ChangePasswordResponse, ApiError>
    {
        info!("change_password({:?}) - X-Span-ID: {:?}", change_password_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Log in with a username or e-mail and a password
    async fn login(
        &self,
        login_schema: models::LoginSchema,
        context: &C) -> Result<LoginResponse, ApiError>
    {
        info!("login({:?}) - X-Span-ID: {:?}", login_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Log out
    async fn logout(
        &self,
        context: &C) -> Result<LogoutResponse, ApiError>
    {
        info!("logout() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// \"This wasn't me\": take the account back after a password change
    async fn report_not_me(
        &self,
        not_me_schema: models::NotMeSchema,
        context: &C) -> Result<ReportNotMeResponse, ApiError>
    {
        info!("report_not_me({:?}) - X-Span-ID: {:?}", not_me_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Request a reset-password e-mail
    async fn send_reset_password_email(
        &self,
        email_schema: models::EmailSchema,
        context: &C) -> Result<SendResetPasswordEmailResponse, ApiError>
    {
        info!("send_reset_password_email({:?}) - X-Span-ID: {:?}", email_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Check a password against the password policy
    async fn validate_password(
        &self,
        validate_password_schema: models::ValidatePasswordSchema,
        context: &C) -> Result<ValidatePasswordResponse, ApiError>
    {
        info!("validate_password({:?}) - X-Span-ID: {:?}", validate_password_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Check a reset or invite token
    async fn validate_token(
        &self,
        token: Option<String>,
        context: &C) -> Result<ValidateTokenResponse, ApiError>
    {
        info!("validate_token({:?}) - X-Span-ID: {:?}", token, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Health check
    async fn get_health(
        &self,
        context: &C) -> Result<GetHealthResponse, ApiError>
    {
        info!("get_health() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Liveness, for an orchestrator
    async fn get_health_live(
        &self,
        context: &C) -> Result<GetHealthLiveResponse, ApiError>
    {
        info!("get_health_live() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Readiness, for an orchestrator or a load balancer
    async fn get_health_ready(
        &self,
        context: &C) -> Result<GetHealthReadyResponse, ApiError>
    {
        info!("get_health_ready() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Prometheus metrics
    async fn get_metrics(
        &self,
        context: &C) -> Result<GetMetricsResponse, ApiError>
    {
        info!("get_metrics() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// This contract, as JSON
    async fn get_open_api_json(
        &self,
        context: &C) -> Result<GetOpenApiJsonResponse, ApiError>
    {
        info!("get_open_api_json() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// This contract
    async fn get_open_api_spec(
        &self,
        context: &C) -> Result<GetOpenApiSpecResponse, ApiError>
    {
        info!("get_open_api_spec() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Change your own password
    async fn change_my_password(
        &self,
        password_schema: models::PasswordSchema,
        context: &C) -> Result<ChangeMyPasswordResponse, ApiError>
    {
        info!("change_my_password({:?}) - X-Span-ID: {:?}", password_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Create a user
    async fn create_user(
        &self,
        create_user_schema: models::CreateUserSchema,
        context: &C) -> Result<CreateUserResponse, ApiError>
    {
        info!("create_user({:?}) - X-Span-ID: {:?}", create_user_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// End all your sessions but this one
    async fn end_my_other_sessions(
        &self,
        context: &C) -> Result<EndMyOtherSessionsResponse, ApiError>
    {
        info!("end_my_other_sessions() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// The audit log, newest first
    async fn get_events(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        context: &C) -> Result<GetEventsResponse, ApiError>
    {
        info!("get_events({:?}, {:?}) - X-Span-ID: {:?}", limit, offset, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// The logged-in user
    async fn get_me(
        &self,
        context: &C) -> Result<GetMeResponse, ApiError>
    {
        info!("get_me() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Your own live sessions
    async fn get_my_sessions(
        &self,
        context: &C) -> Result<GetMySessionsResponse, ApiError>
    {
        info!("get_my_sessions() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// The logged-in user's profile
    async fn get_profile(
        &self,
        context: &C) -> Result<GetProfileResponse, ApiError>
    {
        info!("get_profile() - X-Span-ID: {:?}", context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// List users
    async fn get_users(
        &self,
        limit: Option<u32>,
        offset: Option<u64>,
        context: &C) -> Result<GetUsersResponse, ApiError>
    {
        info!("get_users({:?}, {:?}) - X-Span-ID: {:?}", limit, offset, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Create a reset link for a user
    async fn reset_user_password(
        &self,
        id_schema: models::IdSchema,
        context: &C) -> Result<ResetUserPasswordResponse, ApiError>
    {
        info!("reset_user_password({:?}) - X-Span-ID: {:?}", id_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Check a password against the password policy
    async fn validate_user_password(
        &self,
        password_schema: models::PasswordSchema,
        context: &C) -> Result<ValidateUserPasswordResponse, ApiError>
    {
        info!("validate_user_password({:?}) - X-Span-ID: {:?}", password_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Set a user's password
    async fn change_user_password(
        &self,
        id: u64,
        password_schema: models::PasswordSchema,
        context: &C) -> Result<ChangeUserPasswordResponse, ApiError>
    {
        info!("change_user_password({:?}, {:?}) - X-Span-ID: {:?}", id, password_schema, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Delete a user
    async fn delete_user(
        &self,
        id: u64,
        context: &C) -> Result<DeleteUserResponse, ApiError>
    {
        info!("delete_user({:?}) - X-Span-ID: {:?}", id, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// End one of your sessions
    async fn end_my_session(
        &self,
        id: String,
        context: &C) -> Result<EndMySessionResponse, ApiError>
    {
        info!("end_my_session({:?}) - X-Span-ID: {:?}", id, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

    /// Get a user
    async fn get_user(
        &self,
        id: u64,
        context: &C) -> Result<GetUserResponse, ApiError>
    {
        info!("get_user({:?}) - X-Span-ID: {:?}", id, context.get().0.clone());
        Err(ApiError("Api-Error: Operation is NOT implemented".into()))
    }

}
