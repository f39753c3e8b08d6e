//! One error type for every boundary: server functions, the JSON API and the pages.
//!
//! An error is a stable machine code (what the API promises), the form field it belongs to,
//! and nothing else: the words are chosen by the reader's language when it is shown, so the
//! same error reads 手机号应为11位数字 on a Chinese page and in English on an English one.
use super::i18n::Locale;
use serde::{Deserialize, Serialize};

/// Stable error codes. The API's `error.code` is the snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidPhone,
    PhoneTaken,
    PasswordTooShort,
    PasswordTooLong,
    NameRequired,
    NameTooLong,
    InvalidCredentials,
    AccountDisabled,
    TooManyAttempts,
    Unauthenticated,
    Forbidden,
    NotFound,
    CsrfRejected,
    BadRequest,
    InvalidCoordinates,
    InvalidAmount,
    Internal,
    Network,
}

impl ErrorCode {
    /// The HTTP status the JSON API answers with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            InvalidPhone | PasswordTooShort | PasswordTooLong | NameRequired | NameTooLong
            | InvalidCoordinates | InvalidAmount => 422,
            PhoneTaken => 409,
            InvalidCredentials | Unauthenticated => 401,
            AccountDisabled | Forbidden | CsrfRejected => 403,
            TooManyAttempts => 429,
            NotFound => 404,
            BadRequest => 400,
            Internal => 500,
            Network => 503,
        }
    }

    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            InvalidPhone => "invalid_phone",
            PhoneTaken => "phone_taken",
            PasswordTooShort => "password_too_short",
            PasswordTooLong => "password_too_long",
            NameRequired => "name_required",
            NameTooLong => "name_too_long",
            InvalidCredentials => "invalid_credentials",
            AccountDisabled => "account_disabled",
            TooManyAttempts => "too_many_attempts",
            Unauthenticated => "unauthenticated",
            Forbidden => "forbidden",
            NotFound => "not_found",
            CsrfRejected => "csrf_rejected",
            BadRequest => "bad_request",
            InvalidCoordinates => "invalid_coordinates",
            InvalidAmount => "invalid_amount",
            Internal => "internal",
            Network => "network",
        }
    }

    /// The inverse of [`ErrorCode::as_str`], for codes carried in a URL after a no-JS form post.
    pub fn from_code(s: &str) -> Option<ErrorCode> {
        use ErrorCode::*;
        [
            InvalidPhone, PhoneTaken, PasswordTooShort, PasswordTooLong, NameRequired, NameTooLong,
            InvalidCredentials, AccountDisabled, TooManyAttempts, Unauthenticated, Forbidden, NotFound,
            CsrfRejected, BadRequest, InvalidCoordinates, InvalidAmount, Internal, Network,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    /// What the person reading it should be told.
    pub fn message(self, locale: Locale) -> &'static str {
        use ErrorCode::*;
        let (zh, en) = match self {
            InvalidPhone => ("手机号应为11位数字", "Enter an 11-digit mainland mobile number"),
            PhoneTaken => ("这个手机号已经注册过了，请直接登录", "This number is already registered — please log in"),
            PasswordTooShort => ("密码至少8位", "The password needs at least 8 characters"),
            PasswordTooLong => ("密码最多128位", "The password may have at most 128 characters"),
            NameRequired => ("请填写称呼", "Please tell us what to call you"),
            NameTooLong => ("称呼最多20个字", "The name may have at most 20 characters"),
            InvalidCredentials => ("手机号或密码不对", "Wrong phone number or password"),
            AccountDisabled => ("这个账号已停用，请联系门店", "This account is disabled — please contact the store"),
            TooManyAttempts => ("尝试次数太多，请15分钟后再试", "Too many attempts — please try again in 15 minutes"),
            Unauthenticated => ("请先登录", "Please log in first"),
            Forbidden => ("没有权限做这件事", "You are not allowed to do this"),
            NotFound => ("没有找到", "Not found"),
            CsrfRejected => ("请求来源不明，已拒绝", "Cross-site request refused"),
            BadRequest => ("请求格式不对", "The request is malformed"),
            InvalidCoordinates => ("位置坐标不对", "Invalid coordinates"),
            InvalidAmount => ("充值金额应在0.01元到1万元之间", "A top-up must be between ¥0.01 and ¥10,000"),
            Internal => ("服务器开小差了，请稍后再试", "Something went wrong on our side — please try again"),
            Network => ("网络不太好，请稍后再试", "Network problem — please try again"),
        };
        locale.pick(zh, en)
    }
}

/// An error with the form field it belongs to, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", code.as_str())]
pub struct AppError {
    pub code: ErrorCode,
    /// The form field to show the message under ("phone", "password"...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl AppError {
    pub fn new(code: ErrorCode) -> Self {
        AppError { code, field: None }
    }

    pub fn field(code: ErrorCode, field: &str) -> Self {
        AppError { code, field: Some(field.to_string()) }
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated)
    }

    /// An unexpected failure: the cause is logged here, the reader sees only opaque text.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(ErrorCode::Internal)
    }

    pub fn message(&self, locale: Locale) -> &'static str {
        self.code.message(locale)
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::new(code)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(_) => AppError::new(ErrorCode::Network),
            E::Args(_) | E::Deserialization(_) | E::MissingArg(_) => AppError::new(ErrorCode::BadRequest),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                AppError::new(ErrorCode::Internal)
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_urls() {
        for code in [ErrorCode::InvalidPhone, ErrorCode::TooManyAttempts, ErrorCode::Network] {
            assert_eq!(ErrorCode::from_code(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::from_code("nope"), None);
    }

    #[test]
    fn serde_name_matches_the_api_code() {
        for code in [ErrorCode::InvalidPhone, ErrorCode::PhoneTaken, ErrorCode::CsrfRejected, ErrorCode::InvalidCoordinates] {
            let json = serde_json::to_string(&code).expect("serialises");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
