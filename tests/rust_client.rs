//! The main flows through the Rust SDK generated from `openapi.yaml` (the `client` feature of
//! `generated/`), unchanged: what a Rust client team gets is what the service answers.

mod common;

use common::*;
use swagger::{AuthData, ContextBuilder, EmptyContext, OneOf2, Push, XSpanIdString};
use unlatch_api::models::{self, RootRoleRefSchemaOneOf};
use unlatch_api::{
    ApiNoContext, ChangePasswordResponse, Client, ContextWrapperExt, CreateUserResponse,
    DeleteUserResponse, GetHealthResponse, GetUserResponse, LoginResponse,
    ResetUserPasswordResponse, ValidatePasswordResponse, ValidateTokenResponse,
};

type Ctx = swagger::make_context_ty!(
    ContextBuilder,
    EmptyContext,
    Option<AuthData>,
    XSpanIdString
);

fn sdk(app: &TestApp, auth: Option<AuthData>) -> impl ApiNoContext<Ctx> {
    let context: Ctx =
        swagger::make_context!(ContextBuilder, EmptyContext, auth, XSpanIdString::default());
    Client::try_new_http(&app.url(""))
        .expect("a client for the test server")
        .with_context(context)
}

#[tokio::test]
async fn main_flows_through_the_generated_rust_client() {
    let app = TestApp::spawn().await;
    let admin = sdk(&app, Some(AuthData::ApiKey(ADMIN_TOKEN.to_string())));
    let anonymous = sdk(&app, None);

    match anonymous.get_health().await.expect("health") {
        GetHealthResponse::Healthy(h) => {
            assert_eq!(h.health, models::HealthCheckSchemaHealth::Good)
        }
        other => panic!("health: {other:?}"),
    }

    // An admin creates a user.
    let mut new_user = models::CreateUserSchema::new(models::RootRoleRefSchema::from(OneOf2::B(
        RootRoleRefSchemaOneOf::Editor,
    )));
    new_user.email = Some("Ada@Example.com".into());
    new_user.name = Some("Ada".into());
    new_user.send_email = Some(false);
    let (id, invite) = match admin.create_user(new_user).await.expect("create") {
        CreateUserResponse::Created { body, location } => {
            assert_eq!(location, Some(body.id.to_string()));
            assert_eq!(body.email.as_deref(), Some("ada@example.com"));
            // Echoed as sent (CONTRACT §3): the name stays a name.
            assert!(
                matches!(&*body.root_role, OneOf2::B(RootRoleRefSchemaOneOf::Editor)),
                "{:?}",
                body.root_role
            );
            assert!(!body.email_sent);
            (body.id, body.invite_link.expect("invite link"))
        }
        other => panic!("create: {other:?}"),
    };
    assert!(invite.starts_with("http://unlatch.test/ui/new-user?token="));

    // A reset link, and what the token says about its user.
    let link = match admin
        .reset_user_password(models::IdSchema::new("ada@example.com".into()))
        .await
        .expect("reset link")
    {
        ResetUserPasswordResponse::ResetLink(r) => r.reset_password_url,
        other => panic!("reset link: {other:?}"),
    };
    let token = token_of(&link);
    match anonymous
        .validate_token(Some(token.clone()))
        .await
        .expect("validate")
    {
        ValidateTokenResponse::TokenValid(t) => {
            assert_eq!(t.id, id);
            assert_eq!(t.email, "ada@example.com");
            assert_eq!(t.role.name, "Editor");
        }
        other => panic!("validate: {other:?}"),
    }

    // A weak password comes back as the typed error with every failed rule.
    match anonymous
        .validate_password(models::ValidatePasswordSchema::new("hunter2".into()))
        .await
        .expect("validate-password")
    {
        ValidatePasswordResponse::BadRequest(e) => {
            assert_eq!(e.name, "OwaspValidationError");
            let details = e.details.expect("details");
            assert_eq!(details[0].validation_errors.as_ref().map(Vec::len), Some(3));
        }
        other => panic!("weak password: {other:?}"),
    }

    // Reset, then log in with the new password.
    match anonymous
        .change_password(models::ChangePasswordSchema::new(
            token.clone(),
            "simple123-_ASsad".into(),
        ))
        .await
        .expect("reset")
    {
        ChangePasswordResponse::PasswordChanged => {}
        other => panic!("reset: {other:?}"),
    }
    match anonymous
        .login(models::LoginSchema::new(
            "ada@example.com".into(),
            "simple123-_ASsad".into(),
        ))
        .await
        .expect("login")
    {
        LoginResponse::LoggedIn { body, set_cookie } => {
            assert_eq!(body.id, id);
            assert!(set_cookie.expect("cookie").starts_with("unleash-session="));
        }
        other => panic!("login: {other:?}"),
    }

    // The spent token is refused, as a typed 401.
    match anonymous
        .validate_token(Some(token))
        .await
        .expect("validate")
    {
        ValidateTokenResponse::Unauthorized(e) => assert_eq!(e.name, "InvalidTokenError"),
        other => panic!("spent token: {other:?}"),
    }

    // Get and delete.
    let id_param = u64::try_from(id).expect("positive id");
    assert!(matches!(
        admin.get_user(id_param).await.expect("get"),
        GetUserResponse::User(u) if u.id == id
    ));
    assert!(matches!(
        admin.delete_user(id_param).await.expect("delete"),
        DeleteUserResponse::Deleted
    ));
    match admin.get_user(id_param).await.expect("get") {
        GetUserResponse::NotFound(e) => assert_eq!(e.message, "No user found"),
        other => panic!("deleted user: {other:?}"),
    }
}
