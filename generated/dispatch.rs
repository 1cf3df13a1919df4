// The operations of openapi.yaml: their calls into the `Api` trait and what each variant of their
// response enums answers. Written by `make regen` from openapi.yaml with the project's template
// (codegen/rust-server/dispatch.mustache); included by the service's `src/http/dispatch.rs`, which
// provides `Inputs`, `Answer`, `AppError`, `FromAppError` and `RequestContext`.

/// Every operation of openapi.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `POST /auth/reset/password`
    ChangePassword,
    /// `POST /auth/simple/login`
    Login,
    /// `POST /logout`
    Logout,
    /// `POST /auth/reset/not-me`
    ReportNotMe,
    /// `POST /auth/reset/password-email`
    SendResetPasswordEmail,
    /// `POST /auth/reset/validate-password`
    ValidatePassword,
    /// `GET /auth/reset/validate`
    ValidateToken,
    /// `GET /health`
    GetHealth,
    /// `GET /health/live`
    GetHealthLive,
    /// `GET /health/ready`
    GetHealthReady,
    /// `GET /internal-backstage/prometheus`
    GetMetrics,
    /// `GET /docs/openapi.json`
    GetOpenApiJson,
    /// `GET /docs/openapi.yaml`
    GetOpenApiSpec,
    /// `POST /api/admin/user/change-password`
    ChangeMyPassword,
    /// `POST /api/admin/user-admin`
    CreateUser,
    /// `DELETE /api/admin/user/sessions`
    EndMyOtherSessions,
    /// `GET /api/admin/events`
    GetEvents,
    /// `GET /api/admin/user`
    GetMe,
    /// `GET /api/admin/user/sessions`
    GetMySessions,
    /// `GET /api/admin/user/profile`
    GetProfile,
    /// `GET /api/admin/user-admin`
    GetUsers,
    /// `POST /api/admin/user-admin/reset-password`
    ResetUserPassword,
    /// `POST /api/admin/user-admin/validate-password`
    ValidateUserPassword,
    /// `POST /api/admin/user-admin/{id}/change-password`
    ChangeUserPassword,
    /// `DELETE /api/admin/user-admin/{id}`
    DeleteUser,
    /// `DELETE /api/admin/user/sessions/{id}`
    EndMySession,
    /// `GET /api/admin/user-admin/{id}`
    GetUser,
}

impl Operation {
    /// Every operation.
    pub const ALL: &[Operation] = &[
        Operation::ChangePassword,
        Operation::Login,
        Operation::Logout,
        Operation::ReportNotMe,
        Operation::SendResetPasswordEmail,
        Operation::ValidatePassword,
        Operation::ValidateToken,
        Operation::GetHealth,
        Operation::GetHealthLive,
        Operation::GetHealthReady,
        Operation::GetMetrics,
        Operation::GetOpenApiJson,
        Operation::GetOpenApiSpec,
        Operation::ChangeMyPassword,
        Operation::CreateUser,
        Operation::EndMyOtherSessions,
        Operation::GetEvents,
        Operation::GetMe,
        Operation::GetMySessions,
        Operation::GetProfile,
        Operation::GetUsers,
        Operation::ResetUserPassword,
        Operation::ValidateUserPassword,
        Operation::ChangeUserPassword,
        Operation::DeleteUser,
        Operation::EndMySession,
        Operation::GetUser,
    ];

    /// Its `operationId` in openapi.yaml.
    pub fn operation_id(self) -> &'static str {
        match self {
            Operation::ChangePassword => "changePassword",
            Operation::Login => "login",
            Operation::Logout => "logout",
            Operation::ReportNotMe => "reportNotMe",
            Operation::SendResetPasswordEmail => "sendResetPasswordEmail",
            Operation::ValidatePassword => "validatePassword",
            Operation::ValidateToken => "validateToken",
            Operation::GetHealth => "getHealth",
            Operation::GetHealthLive => "getHealthLive",
            Operation::GetHealthReady => "getHealthReady",
            Operation::GetMetrics => "getMetrics",
            Operation::GetOpenApiJson => "getOpenApiJson",
            Operation::GetOpenApiSpec => "getOpenApiSpec",
            Operation::ChangeMyPassword => "changeMyPassword",
            Operation::CreateUser => "createUser",
            Operation::EndMyOtherSessions => "endMyOtherSessions",
            Operation::GetEvents => "getEvents",
            Operation::GetMe => "getMe",
            Operation::GetMySessions => "getMySessions",
            Operation::GetProfile => "getProfile",
            Operation::GetUsers => "getUsers",
            Operation::ResetUserPassword => "resetUserPassword",
            Operation::ValidateUserPassword => "validateUserPassword",
            Operation::ChangeUserPassword => "changeUserPassword",
            Operation::DeleteUser => "deleteUser",
            Operation::EndMySession => "endMySession",
            Operation::GetUser => "getUser",
        }
    }

    /// The operation of openapi.yaml with this `operationId`.
    pub fn from_operation_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|operation| operation.operation_id() == id)
    }
}

/// Calls `operation`'s method of the `Api` trait with the request's inputs; answers its response.
pub async fn call<A: Api<RequestContext>>(
    api: &A,
    operation: Operation,
    inputs: &mut Inputs<'_>,
    context: &RequestContext,
) -> Result<Answer, AppError> {
    match operation {
        Operation::ChangePassword => {
            let change_password_schema = inputs.body()?;
            answer(api.change_password(change_password_schema, context).await)
        }
        Operation::Login => {
            let login_schema = inputs.body()?;
            answer(api.login(login_schema, context).await)
        }
        Operation::Logout => {
            answer(api.logout(context).await)
        }
        Operation::ReportNotMe => {
            let not_me_schema = inputs.body()?;
            answer(api.report_not_me(not_me_schema, context).await)
        }
        Operation::SendResetPasswordEmail => {
            let email_schema = inputs.body()?;
            answer(api.send_reset_password_email(email_schema, context).await)
        }
        Operation::ValidatePassword => {
            let validate_password_schema = inputs.body()?;
            answer(api.validate_password(validate_password_schema, context).await)
        }
        Operation::ValidateToken => {
            let token = inputs.query("token")?;
            answer(api.validate_token(token, context).await)
        }
        Operation::GetHealth => {
            answer(api.get_health(context).await)
        }
        Operation::GetHealthLive => {
            answer(api.get_health_live(context).await)
        }
        Operation::GetHealthReady => {
            answer(api.get_health_ready(context).await)
        }
        Operation::GetMetrics => {
            answer(api.get_metrics(context).await)
        }
        Operation::GetOpenApiJson => {
            answer(api.get_open_api_json(context).await)
        }
        Operation::GetOpenApiSpec => {
            answer(api.get_open_api_spec(context).await)
        }
        Operation::ChangeMyPassword => {
            let password_schema = inputs.body()?;
            answer(api.change_my_password(password_schema, context).await)
        }
        Operation::CreateUser => {
            let create_user_schema = inputs.body()?;
            answer(api.create_user(create_user_schema, context).await)
        }
        Operation::EndMyOtherSessions => {
            answer(api.end_my_other_sessions(context).await)
        }
        Operation::GetEvents => {
            let limit = inputs.query("limit")?;
            let offset = inputs.query("offset")?;
            answer(api.get_events(limit, offset, context).await)
        }
        Operation::GetMe => {
            answer(api.get_me(context).await)
        }
        Operation::GetMySessions => {
            answer(api.get_my_sessions(context).await)
        }
        Operation::GetProfile => {
            answer(api.get_profile(context).await)
        }
        Operation::GetUsers => {
            let limit = inputs.query("limit")?;
            let offset = inputs.query("offset")?;
            answer(api.get_users(limit, offset, context).await)
        }
        Operation::ResetUserPassword => {
            let id_schema = inputs.body()?;
            answer(api.reset_user_password(id_schema, context).await)
        }
        Operation::ValidateUserPassword => {
            let password_schema = inputs.body()?;
            answer(api.validate_user_password(password_schema, context).await)
        }
        Operation::ChangeUserPassword => {
            let id = inputs.path("id")?;
            let password_schema = inputs.body()?;
            answer(api.change_user_password(id, password_schema, context).await)
        }
        Operation::DeleteUser => {
            let id = inputs.path("id")?;
            answer(api.delete_user(id, context).await)
        }
        Operation::EndMySession => {
            let id = inputs.path("id")?;
            answer(api.end_my_session(id, context).await)
        }
        Operation::GetUser => {
            let id = inputs.path("id")?;
            answer(api.get_user(id, context).await)
        }
    }
}

/// The status `operation` answers `error` with, when its response enum has a variant for the
/// error's status (the error into its variant, the variant into its answer), for the tests that
/// check this file against the service's own reading of openapi.yaml.
pub fn error_status(operation: Operation, error: AppError) -> Option<u16> {
    match operation {
        Operation::ChangePassword => ChangePasswordResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::Login => LoginResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::Logout => LogoutResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::ReportNotMe => ReportNotMeResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::SendResetPasswordEmail => SendResetPasswordEmailResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::ValidatePassword => ValidatePasswordResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::ValidateToken => ValidateTokenResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetHealth => GetHealthResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetHealthLive => GetHealthLiveResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetHealthReady => GetHealthReadyResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetMetrics => GetMetricsResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetOpenApiJson => GetOpenApiJsonResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetOpenApiSpec => GetOpenApiSpecResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::ChangeMyPassword => ChangeMyPasswordResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::CreateUser => CreateUserResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::EndMyOtherSessions => EndMyOtherSessionsResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetEvents => GetEventsResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetMe => GetMeResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetMySessions => GetMySessionsResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetProfile => GetProfileResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetUsers => GetUsersResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::ResetUserPassword => ResetUserPasswordResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::ValidateUserPassword => ValidateUserPasswordResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::ChangeUserPassword => ChangeUserPasswordResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::DeleteUser => DeleteUserResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::EndMySession => EndMySessionResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
        Operation::GetUser => GetUserResponse::from_app_error(error).ok().map(|r| Answer::from(r).status),
    }
}

impl From<ChangePasswordResponse> for Answer {
    fn from(response: ChangePasswordResponse) -> Self {
        match response {
            ChangePasswordResponse::PasswordChanged => Answer::new(200),
            ChangePasswordResponse::BadRequest(body) => Answer::new(400).json(&body),
            ChangePasswordResponse::Unauthorized(body) => Answer::new(401).json(&body),
            ChangePasswordResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            ChangePasswordResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            ChangePasswordResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
            ChangePasswordResponse::InternalError(body) => Answer::new(500).json(&body),
        }
    }
}

impl FromAppError for ChangePasswordResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ChangePasswordResponse::BadRequest(error.body())),
            401 => Ok(ChangePasswordResponse::Unauthorized(error.body())),
            413 => Ok(ChangePasswordResponse::PayloadTooLarge(error.body())),
            415 => Ok(ChangePasswordResponse::UnsupportedMediaType(error.body())),
            503 => Ok(ChangePasswordResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(ChangePasswordResponse::InternalError(error.body())),
            status => Err(undeclared(status, "changePassword", &error)),
        }
    }
}

impl From<LoginResponse> for Answer {
    fn from(response: LoginResponse) -> Self {
        match response {
            LoginResponse::LoggedIn { body, set_cookie, } => Answer::new(200).json(&body).header("Set-Cookie", set_cookie),
            LoginResponse::BadRequest(body) => Answer::new(400).json(&body),
            LoginResponse::Unauthorized(body) => Answer::new(401).json(&body),
            LoginResponse::Disabled(body) => Answer::new(422).json(&body),
            LoginResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            LoginResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            LoginResponse::TooManyRequests { body, retry_after, } => Answer::new(429).json(&body).header("Retry-After", retry_after),
            LoginResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
            LoginResponse::InternalError(body) => Answer::new(500).json(&body),
        }
    }
}

impl FromAppError for LoginResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(LoginResponse::BadRequest(error.body())),
            401 => Ok(LoginResponse::Unauthorized(error.body())),
            422 => Ok(LoginResponse::Disabled(error.body())),
            413 => Ok(LoginResponse::PayloadTooLarge(error.body())),
            415 => Ok(LoginResponse::UnsupportedMediaType(error.body())),
            429 => Ok(LoginResponse::TooManyRequests { body: error.body(), retry_after: error.header("Retry-After"), }),
            503 => Ok(LoginResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(LoginResponse::InternalError(error.body())),
            status => Err(undeclared(status, "login", &error)),
        }
    }
}

impl From<LogoutResponse> for Answer {
    fn from(response: LogoutResponse) -> Self {
        match response {
            LogoutResponse::LoggedOutNoContent { set_cookie, clear_site_data, } => Answer::new(204).header("Set-Cookie", set_cookie).header("Clear-Site-Data", clear_site_data),
            LogoutResponse::LoggedOut { location, set_cookie, clear_site_data, } => Answer::new(302).header("Location", location).header("Set-Cookie", set_cookie).header("Clear-Site-Data", clear_site_data),
        }
    }
}

impl FromAppError for LogoutResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            status => Err(undeclared(status, "logout", &error)),
        }
    }
}

impl From<ReportNotMeResponse> for Answer {
    fn from(response: ReportNotMeResponse) -> Self {
        match response {
            ReportNotMeResponse::Reported => Answer::new(200),
            ReportNotMeResponse::BadRequest(body) => Answer::new(400).json(&body),
            ReportNotMeResponse::Unauthorized(body) => Answer::new(401).json(&body),
            ReportNotMeResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            ReportNotMeResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            ReportNotMeResponse::TooManyRequests { body, retry_after, } => Answer::new(429).json(&body).header("Retry-After", retry_after),
            ReportNotMeResponse::InternalError(body) => Answer::new(500).json(&body),
            ReportNotMeResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for ReportNotMeResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ReportNotMeResponse::BadRequest(error.body())),
            401 => Ok(ReportNotMeResponse::Unauthorized(error.body())),
            413 => Ok(ReportNotMeResponse::PayloadTooLarge(error.body())),
            415 => Ok(ReportNotMeResponse::UnsupportedMediaType(error.body())),
            429 => Ok(ReportNotMeResponse::TooManyRequests { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(ReportNotMeResponse::InternalError(error.body())),
            503 => Ok(ReportNotMeResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "reportNotMe", &error)),
        }
    }
}

impl From<SendResetPasswordEmailResponse> for Answer {
    fn from(response: SendResetPasswordEmailResponse) -> Self {
        match response {
            SendResetPasswordEmailResponse::Accepted => Answer::new(200),
            SendResetPasswordEmailResponse::BadRequest(body) => Answer::new(400).json(&body),
            SendResetPasswordEmailResponse::NotFound(body) => Answer::new(404).json(&body),
            SendResetPasswordEmailResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            SendResetPasswordEmailResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            SendResetPasswordEmailResponse::TooManyRequests { body, retry_after, } => Answer::new(429).json(&body).header("Retry-After", retry_after),
            SendResetPasswordEmailResponse::InternalError(body) => Answer::new(500).json(&body),
            SendResetPasswordEmailResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for SendResetPasswordEmailResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(SendResetPasswordEmailResponse::BadRequest(error.body())),
            404 => Ok(SendResetPasswordEmailResponse::NotFound(error.body())),
            413 => Ok(SendResetPasswordEmailResponse::PayloadTooLarge(error.body())),
            415 => Ok(SendResetPasswordEmailResponse::UnsupportedMediaType(error.body())),
            429 => Ok(SendResetPasswordEmailResponse::TooManyRequests { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(SendResetPasswordEmailResponse::InternalError(error.body())),
            503 => Ok(SendResetPasswordEmailResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "sendResetPasswordEmail", &error)),
        }
    }
}

impl From<ValidatePasswordResponse> for Answer {
    fn from(response: ValidatePasswordResponse) -> Self {
        match response {
            ValidatePasswordResponse::PasswordValid => Answer::new(200),
            ValidatePasswordResponse::BadRequest(body) => Answer::new(400).json(&body),
            ValidatePasswordResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            ValidatePasswordResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            ValidatePasswordResponse::InternalError(body) => Answer::new(500).json(&body),
        }
    }
}

impl FromAppError for ValidatePasswordResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ValidatePasswordResponse::BadRequest(error.body())),
            413 => Ok(ValidatePasswordResponse::PayloadTooLarge(error.body())),
            415 => Ok(ValidatePasswordResponse::UnsupportedMediaType(error.body())),
            500 => Ok(ValidatePasswordResponse::InternalError(error.body())),
            status => Err(undeclared(status, "validatePassword", &error)),
        }
    }
}

impl From<ValidateTokenResponse> for Answer {
    fn from(response: ValidateTokenResponse) -> Self {
        match response {
            ValidateTokenResponse::TokenValid(body) => Answer::new(200).json(&body),
            ValidateTokenResponse::BadRequest(body) => Answer::new(400).json(&body),
            ValidateTokenResponse::Unauthorized(body) => Answer::new(401).json(&body),
            ValidateTokenResponse::InternalError(body) => Answer::new(500).json(&body),
            ValidateTokenResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for ValidateTokenResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ValidateTokenResponse::BadRequest(error.body())),
            401 => Ok(ValidateTokenResponse::Unauthorized(error.body())),
            500 => Ok(ValidateTokenResponse::InternalError(error.body())),
            503 => Ok(ValidateTokenResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "validateToken", &error)),
        }
    }
}

impl From<GetHealthResponse> for Answer {
    fn from(response: GetHealthResponse) -> Self {
        match response {
            GetHealthResponse::Healthy(body) => Answer::new(200).json(&body),
            GetHealthResponse::Unhealthy(body) => Answer::new(500).json(&body),
        }
    }
}

impl FromAppError for GetHealthResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            status => Err(undeclared(status, "getHealth", &error)),
        }
    }
}

impl From<GetHealthLiveResponse> for Answer {
    fn from(response: GetHealthLiveResponse) -> Self {
        match response {
            GetHealthLiveResponse::Live(body) => Answer::new(200).json(&body),
        }
    }
}

impl FromAppError for GetHealthLiveResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            status => Err(undeclared(status, "getHealthLive", &error)),
        }
    }
}

impl From<GetHealthReadyResponse> for Answer {
    fn from(response: GetHealthReadyResponse) -> Self {
        match response {
            GetHealthReadyResponse::Ready(body) => Answer::new(200).json(&body),
            GetHealthReadyResponse::NotReady(body) => Answer::new(503).json(&body),
        }
    }
}

impl FromAppError for GetHealthReadyResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            status => Err(undeclared(status, "getHealthReady", &error)),
        }
    }
}

impl From<GetMetricsResponse> for Answer {
    fn from(response: GetMetricsResponse) -> Self {
        match response {
            GetMetricsResponse::Metrics(body) => Answer::new(200).text("text/plain", body),
            GetMetricsResponse::Unauthorized(body) => Answer::new(401).json(&body),
            GetMetricsResponse::Forbidden(body) => Answer::new(403).json(&body),
            GetMetricsResponse::InternalError(body) => Answer::new(500).json(&body),
            GetMetricsResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for GetMetricsResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            401 => Ok(GetMetricsResponse::Unauthorized(error.body())),
            403 => Ok(GetMetricsResponse::Forbidden(error.body())),
            500 => Ok(GetMetricsResponse::InternalError(error.body())),
            503 => Ok(GetMetricsResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "getMetrics", &error)),
        }
    }
}

impl From<GetOpenApiJsonResponse> for Answer {
    fn from(response: GetOpenApiJsonResponse) -> Self {
        match response {
            GetOpenApiJsonResponse::Spec(body) => Answer::new(200).json(&body),
        }
    }
}

impl FromAppError for GetOpenApiJsonResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            status => Err(undeclared(status, "getOpenApiJson", &error)),
        }
    }
}

impl From<GetOpenApiSpecResponse> for Answer {
    fn from(response: GetOpenApiSpecResponse) -> Self {
        match response {
            GetOpenApiSpecResponse::Spec(body) => Answer::new(200).text("application/yaml", body.0),
        }
    }
}

impl FromAppError for GetOpenApiSpecResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            status => Err(undeclared(status, "getOpenApiSpec", &error)),
        }
    }
}

impl From<ChangeMyPasswordResponse> for Answer {
    fn from(response: ChangeMyPasswordResponse) -> Self {
        match response {
            ChangeMyPasswordResponse::PasswordChanged => Answer::new(200),
            ChangeMyPasswordResponse::BadRequest(body) => Answer::new(400).json(&body),
            ChangeMyPasswordResponse::Unauthorized(body) => Answer::new(401).json(&body),
            ChangeMyPasswordResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            ChangeMyPasswordResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            ChangeMyPasswordResponse::TooManyRequests { body, retry_after, } => Answer::new(429).json(&body).header("Retry-After", retry_after),
            ChangeMyPasswordResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
            ChangeMyPasswordResponse::InternalError(body) => Answer::new(500).json(&body),
        }
    }
}

impl FromAppError for ChangeMyPasswordResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ChangeMyPasswordResponse::BadRequest(error.body())),
            401 => Ok(ChangeMyPasswordResponse::Unauthorized(error.body())),
            413 => Ok(ChangeMyPasswordResponse::PayloadTooLarge(error.body())),
            415 => Ok(ChangeMyPasswordResponse::UnsupportedMediaType(error.body())),
            429 => Ok(ChangeMyPasswordResponse::TooManyRequests { body: error.body(), retry_after: error.header("Retry-After"), }),
            503 => Ok(ChangeMyPasswordResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(ChangeMyPasswordResponse::InternalError(error.body())),
            status => Err(undeclared(status, "changeMyPassword", &error)),
        }
    }
}

impl From<CreateUserResponse> for Answer {
    fn from(response: CreateUserResponse) -> Self {
        match response {
            CreateUserResponse::Created { body, location, } => Answer::new(201).json(&body).header("Location", location),
            CreateUserResponse::BadRequest(body) => Answer::new(400).json(&body),
            CreateUserResponse::Unauthorized(body) => Answer::new(401).json(&body),
            CreateUserResponse::Forbidden(body) => Answer::new(403).json(&body),
            CreateUserResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            CreateUserResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            CreateUserResponse::TooManyRequests { body, retry_after, } => Answer::new(429).json(&body).header("Retry-After", retry_after),
            CreateUserResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
            CreateUserResponse::InternalError(body) => Answer::new(500).json(&body),
        }
    }
}

impl FromAppError for CreateUserResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(CreateUserResponse::BadRequest(error.body())),
            401 => Ok(CreateUserResponse::Unauthorized(error.body())),
            403 => Ok(CreateUserResponse::Forbidden(error.body())),
            413 => Ok(CreateUserResponse::PayloadTooLarge(error.body())),
            415 => Ok(CreateUserResponse::UnsupportedMediaType(error.body())),
            429 => Ok(CreateUserResponse::TooManyRequests { body: error.body(), retry_after: error.header("Retry-After"), }),
            503 => Ok(CreateUserResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(CreateUserResponse::InternalError(error.body())),
            status => Err(undeclared(status, "createUser", &error)),
        }
    }
}

impl From<EndMyOtherSessionsResponse> for Answer {
    fn from(response: EndMyOtherSessionsResponse) -> Self {
        match response {
            EndMyOtherSessionsResponse::Ended => Answer::new(204),
            EndMyOtherSessionsResponse::Unauthorized(body) => Answer::new(401).json(&body),
            EndMyOtherSessionsResponse::Forbidden(body) => Answer::new(403).json(&body),
            EndMyOtherSessionsResponse::InternalError(body) => Answer::new(500).json(&body),
            EndMyOtherSessionsResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for EndMyOtherSessionsResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            401 => Ok(EndMyOtherSessionsResponse::Unauthorized(error.body())),
            403 => Ok(EndMyOtherSessionsResponse::Forbidden(error.body())),
            500 => Ok(EndMyOtherSessionsResponse::InternalError(error.body())),
            503 => Ok(EndMyOtherSessionsResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "endMyOtherSessions", &error)),
        }
    }
}

impl From<GetEventsResponse> for Answer {
    fn from(response: GetEventsResponse) -> Self {
        match response {
            GetEventsResponse::Events(body) => Answer::new(200).json(&body),
            GetEventsResponse::BadRequest(body) => Answer::new(400).json(&body),
            GetEventsResponse::Unauthorized(body) => Answer::new(401).json(&body),
            GetEventsResponse::Forbidden(body) => Answer::new(403).json(&body),
            GetEventsResponse::InternalError(body) => Answer::new(500).json(&body),
            GetEventsResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for GetEventsResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(GetEventsResponse::BadRequest(error.body())),
            401 => Ok(GetEventsResponse::Unauthorized(error.body())),
            403 => Ok(GetEventsResponse::Forbidden(error.body())),
            500 => Ok(GetEventsResponse::InternalError(error.body())),
            503 => Ok(GetEventsResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "getEvents", &error)),
        }
    }
}

impl From<GetMeResponse> for Answer {
    fn from(response: GetMeResponse) -> Self {
        match response {
            GetMeResponse::Me(body) => Answer::new(200).json(&body),
            GetMeResponse::Unauthorized(body) => Answer::new(401).json(&body),
            GetMeResponse::InternalError(body) => Answer::new(500).json(&body),
            GetMeResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for GetMeResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            401 => Ok(GetMeResponse::Unauthorized(error.body())),
            500 => Ok(GetMeResponse::InternalError(error.body())),
            503 => Ok(GetMeResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "getMe", &error)),
        }
    }
}

impl From<GetMySessionsResponse> for Answer {
    fn from(response: GetMySessionsResponse) -> Self {
        match response {
            GetMySessionsResponse::Sessions(body) => Answer::new(200).json(&body),
            GetMySessionsResponse::Unauthorized(body) => Answer::new(401).json(&body),
            GetMySessionsResponse::Forbidden(body) => Answer::new(403).json(&body),
            GetMySessionsResponse::InternalError(body) => Answer::new(500).json(&body),
            GetMySessionsResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for GetMySessionsResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            401 => Ok(GetMySessionsResponse::Unauthorized(error.body())),
            403 => Ok(GetMySessionsResponse::Forbidden(error.body())),
            500 => Ok(GetMySessionsResponse::InternalError(error.body())),
            503 => Ok(GetMySessionsResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "getMySessions", &error)),
        }
    }
}

impl From<GetProfileResponse> for Answer {
    fn from(response: GetProfileResponse) -> Self {
        match response {
            GetProfileResponse::Profile(body) => Answer::new(200).json(&body),
            GetProfileResponse::Unauthorized(body) => Answer::new(401).json(&body),
            GetProfileResponse::InternalError(body) => Answer::new(500).json(&body),
            GetProfileResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for GetProfileResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            401 => Ok(GetProfileResponse::Unauthorized(error.body())),
            500 => Ok(GetProfileResponse::InternalError(error.body())),
            503 => Ok(GetProfileResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "getProfile", &error)),
        }
    }
}

impl From<GetUsersResponse> for Answer {
    fn from(response: GetUsersResponse) -> Self {
        match response {
            GetUsersResponse::Users(body) => Answer::new(200).json(&body),
            GetUsersResponse::BadRequest(body) => Answer::new(400).json(&body),
            GetUsersResponse::Unauthorized(body) => Answer::new(401).json(&body),
            GetUsersResponse::Forbidden(body) => Answer::new(403).json(&body),
            GetUsersResponse::InternalError(body) => Answer::new(500).json(&body),
            GetUsersResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for GetUsersResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(GetUsersResponse::BadRequest(error.body())),
            401 => Ok(GetUsersResponse::Unauthorized(error.body())),
            403 => Ok(GetUsersResponse::Forbidden(error.body())),
            500 => Ok(GetUsersResponse::InternalError(error.body())),
            503 => Ok(GetUsersResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "getUsers", &error)),
        }
    }
}

impl From<ResetUserPasswordResponse> for Answer {
    fn from(response: ResetUserPasswordResponse) -> Self {
        match response {
            ResetUserPasswordResponse::ResetLink(body) => Answer::new(200).json(&body),
            ResetUserPasswordResponse::BadRequest(body) => Answer::new(400).json(&body),
            ResetUserPasswordResponse::Unauthorized(body) => Answer::new(401).json(&body),
            ResetUserPasswordResponse::Forbidden(body) => Answer::new(403).json(&body),
            ResetUserPasswordResponse::NotFound(body) => Answer::new(404).json(&body),
            ResetUserPasswordResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            ResetUserPasswordResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            ResetUserPasswordResponse::TooManyRequests { body, retry_after, } => Answer::new(429).json(&body).header("Retry-After", retry_after),
            ResetUserPasswordResponse::InternalError(body) => Answer::new(500).json(&body),
            ResetUserPasswordResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for ResetUserPasswordResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ResetUserPasswordResponse::BadRequest(error.body())),
            401 => Ok(ResetUserPasswordResponse::Unauthorized(error.body())),
            403 => Ok(ResetUserPasswordResponse::Forbidden(error.body())),
            404 => Ok(ResetUserPasswordResponse::NotFound(error.body())),
            413 => Ok(ResetUserPasswordResponse::PayloadTooLarge(error.body())),
            415 => Ok(ResetUserPasswordResponse::UnsupportedMediaType(error.body())),
            429 => Ok(ResetUserPasswordResponse::TooManyRequests { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(ResetUserPasswordResponse::InternalError(error.body())),
            503 => Ok(ResetUserPasswordResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "resetUserPassword", &error)),
        }
    }
}

impl From<ValidateUserPasswordResponse> for Answer {
    fn from(response: ValidateUserPasswordResponse) -> Self {
        match response {
            ValidateUserPasswordResponse::PasswordValid => Answer::new(200),
            ValidateUserPasswordResponse::BadRequest(body) => Answer::new(400).json(&body),
            ValidateUserPasswordResponse::Unauthorized(body) => Answer::new(401).json(&body),
            ValidateUserPasswordResponse::Forbidden(body) => Answer::new(403).json(&body),
            ValidateUserPasswordResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            ValidateUserPasswordResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            ValidateUserPasswordResponse::InternalError(body) => Answer::new(500).json(&body),
            ValidateUserPasswordResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for ValidateUserPasswordResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ValidateUserPasswordResponse::BadRequest(error.body())),
            401 => Ok(ValidateUserPasswordResponse::Unauthorized(error.body())),
            403 => Ok(ValidateUserPasswordResponse::Forbidden(error.body())),
            413 => Ok(ValidateUserPasswordResponse::PayloadTooLarge(error.body())),
            415 => Ok(ValidateUserPasswordResponse::UnsupportedMediaType(error.body())),
            500 => Ok(ValidateUserPasswordResponse::InternalError(error.body())),
            503 => Ok(ValidateUserPasswordResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "validateUserPassword", &error)),
        }
    }
}

impl From<ChangeUserPasswordResponse> for Answer {
    fn from(response: ChangeUserPasswordResponse) -> Self {
        match response {
            ChangeUserPasswordResponse::PasswordChanged => Answer::new(200),
            ChangeUserPasswordResponse::BadRequest(body) => Answer::new(400).json(&body),
            ChangeUserPasswordResponse::Unauthorized(body) => Answer::new(401).json(&body),
            ChangeUserPasswordResponse::Forbidden(body) => Answer::new(403).json(&body),
            ChangeUserPasswordResponse::NotFound(body) => Answer::new(404).json(&body),
            ChangeUserPasswordResponse::PayloadTooLarge(body) => Answer::new(413).json(&body),
            ChangeUserPasswordResponse::UnsupportedMediaType(body) => Answer::new(415).json(&body),
            ChangeUserPasswordResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
            ChangeUserPasswordResponse::InternalError(body) => Answer::new(500).json(&body),
        }
    }
}

impl FromAppError for ChangeUserPasswordResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(ChangeUserPasswordResponse::BadRequest(error.body())),
            401 => Ok(ChangeUserPasswordResponse::Unauthorized(error.body())),
            403 => Ok(ChangeUserPasswordResponse::Forbidden(error.body())),
            404 => Ok(ChangeUserPasswordResponse::NotFound(error.body())),
            413 => Ok(ChangeUserPasswordResponse::PayloadTooLarge(error.body())),
            415 => Ok(ChangeUserPasswordResponse::UnsupportedMediaType(error.body())),
            503 => Ok(ChangeUserPasswordResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            500 => Ok(ChangeUserPasswordResponse::InternalError(error.body())),
            status => Err(undeclared(status, "changeUserPassword", &error)),
        }
    }
}

impl From<DeleteUserResponse> for Answer {
    fn from(response: DeleteUserResponse) -> Self {
        match response {
            DeleteUserResponse::Deleted => Answer::new(200),
            DeleteUserResponse::BadRequest(body) => Answer::new(400).json(&body),
            DeleteUserResponse::Unauthorized(body) => Answer::new(401).json(&body),
            DeleteUserResponse::Forbidden(body) => Answer::new(403).json(&body),
            DeleteUserResponse::NotFound(body) => Answer::new(404).json(&body),
            DeleteUserResponse::InternalError(body) => Answer::new(500).json(&body),
            DeleteUserResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for DeleteUserResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(DeleteUserResponse::BadRequest(error.body())),
            401 => Ok(DeleteUserResponse::Unauthorized(error.body())),
            403 => Ok(DeleteUserResponse::Forbidden(error.body())),
            404 => Ok(DeleteUserResponse::NotFound(error.body())),
            500 => Ok(DeleteUserResponse::InternalError(error.body())),
            503 => Ok(DeleteUserResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "deleteUser", &error)),
        }
    }
}

impl From<EndMySessionResponse> for Answer {
    fn from(response: EndMySessionResponse) -> Self {
        match response {
            EndMySessionResponse::Ended => Answer::new(204),
            EndMySessionResponse::BadRequest(body) => Answer::new(400).json(&body),
            EndMySessionResponse::Unauthorized(body) => Answer::new(401).json(&body),
            EndMySessionResponse::Forbidden(body) => Answer::new(403).json(&body),
            EndMySessionResponse::NotFound(body) => Answer::new(404).json(&body),
            EndMySessionResponse::InternalError(body) => Answer::new(500).json(&body),
            EndMySessionResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for EndMySessionResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(EndMySessionResponse::BadRequest(error.body())),
            401 => Ok(EndMySessionResponse::Unauthorized(error.body())),
            403 => Ok(EndMySessionResponse::Forbidden(error.body())),
            404 => Ok(EndMySessionResponse::NotFound(error.body())),
            500 => Ok(EndMySessionResponse::InternalError(error.body())),
            503 => Ok(EndMySessionResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "endMySession", &error)),
        }
    }
}

impl From<GetUserResponse> for Answer {
    fn from(response: GetUserResponse) -> Self {
        match response {
            GetUserResponse::User(body) => Answer::new(200).json(&body),
            GetUserResponse::BadRequest(body) => Answer::new(400).json(&body),
            GetUserResponse::Unauthorized(body) => Answer::new(401).json(&body),
            GetUserResponse::Forbidden(body) => Answer::new(403).json(&body),
            GetUserResponse::NotFound(body) => Answer::new(404).json(&body),
            GetUserResponse::InternalError(body) => Answer::new(500).json(&body),
            GetUserResponse::ServiceUnavailable { body, retry_after, } => Answer::new(503).json(&body).header("Retry-After", retry_after),
        }
    }
}

impl FromAppError for GetUserResponse {
    fn from_app_error(error: AppError) -> Result<Self, swagger::ApiError> {
        match error.status() {
            400 => Ok(GetUserResponse::BadRequest(error.body())),
            401 => Ok(GetUserResponse::Unauthorized(error.body())),
            403 => Ok(GetUserResponse::Forbidden(error.body())),
            404 => Ok(GetUserResponse::NotFound(error.body())),
            500 => Ok(GetUserResponse::InternalError(error.body())),
            503 => Ok(GetUserResponse::ServiceUnavailable { body: error.body(), retry_after: error.header("Retry-After"), }),
            status => Err(undeclared(status, "getUser", &error)),
        }
    }
}
