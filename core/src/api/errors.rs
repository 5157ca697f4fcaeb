//! API errors as the API server returns them: a `Status` with a reason, a message and, for
//! validation failures, field causes. kubectl turns them into the lines users know
//! (`kubectl::errors`).
//!
//! Field error wording follows k8s.io/apimachinery/pkg/util/validation/field/errors.go.

use std::fmt;

/// `metav1.StatusReason`, the word kubectl prints in `Error from server (NotFound): ...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    InternalError,
    TooManyRequests,
    /// A status without a reason (a plain server error): `Error from server: <message>`.
    Unknown,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Conflict => "Conflict",
            Reason::Invalid => "Invalid",
            Reason::BadRequest => "BadRequest",
            Reason::Forbidden => "Forbidden",
            Reason::MethodNotAllowed => "MethodNotAllowed",
            Reason::InternalError => "InternalError",
            Reason::TooManyRequests => "TooManyRequests",
            Reason::Unknown => "",
        }
    }
}

/// The kinds of field error, with the words `ErrorType.String()` gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
}

impl FieldErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldErrorType::NotFound => "Not found",
            FieldErrorType::Required => "Required value",
            FieldErrorType::Duplicate => "Duplicate value",
            FieldErrorType::Invalid => "Invalid value",
            FieldErrorType::NotSupported => "Unsupported value",
            FieldErrorType::Forbidden => "Forbidden",
            FieldErrorType::TooLong => "Too long",
            FieldErrorType::TooMany => "Too many",
        }
    }
}

/// A value as Go's `%q` / `%#v` would print it inside a field error.
#[derive(Clone, Debug, PartialEq)]
pub enum BadValue {
    Omitted,
    Str(String),
    Int(i64),
    /// Already formatted, e.g. `map[string]string{"app":"web"}`.
    Raw(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub kind: FieldErrorType,
    pub field: String,
    pub value: BadValue,
    pub detail: String,
}

impl FieldError {
    fn new(kind: FieldErrorType, field: impl Into<String>, value: BadValue, detail: impl Into<String>) -> Self {
        FieldError {
            kind,
            field: field.into(),
            value,
            detail: detail.into(),
        }
    }
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(FieldErrorType::Required, field, BadValue::Omitted, detail)
    }
    pub fn invalid(field: impl Into<String>, value: BadValue, detail: impl Into<String>) -> Self {
        Self::new(FieldErrorType::Invalid, field, value, detail)
    }
    pub fn duplicate(field: impl Into<String>, value: BadValue) -> Self {
        Self::new(FieldErrorType::Duplicate, field, value, "")
    }
    pub fn not_found(field: impl Into<String>, value: BadValue) -> Self {
        Self::new(FieldErrorType::NotFound, field, value, "")
    }
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(FieldErrorType::Forbidden, field, BadValue::Omitted, detail)
    }
    /// `Unsupported value: "X": supported values: "A", "B"`.
    pub fn not_supported(field: impl Into<String>, value: BadValue, valid: &[&str]) -> Self {
        let list: Vec<String> = valid.iter().map(|v| format!("{v:?}")).collect();
        Self::new(
            FieldErrorType::NotSupported,
            field,
            value,
            format!("supported values: {}", list.join(", ")),
        )
    }

    /// `ErrorBody()`: the error without its field path.
    pub fn body(&self) -> String {
        let mut s = match (&self.value, self.kind) {
            (_, FieldErrorType::Required | FieldErrorType::Forbidden | FieldErrorType::TooLong)
            | (BadValue::Omitted, _) => self.kind.as_str().to_string(),
            (BadValue::Str(v), _) => format!("{}: {}", self.kind.as_str(), go_quote(v)),
            (BadValue::Int(v), _) => format!("{}: {v}", self.kind.as_str()),
            (BadValue::Raw(v), _) => format!("{}: {v}", self.kind.as_str()),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// Go's `%q` for a string: double quotes with Go escapes.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Details of an `Invalid` status: which object, and each field cause.
#[derive(Clone, Debug, PartialEq)]
pub struct InvalidDetails {
    pub kind: String,
    pub name: String,
    pub causes: Vec<FieldError>,
}

/// An error status returned by the API server.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub reason: Reason,
    pub message: String,
    pub invalid: Option<InvalidDetails>,
}

impl ApiError {
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        ApiError {
            reason,
            message: message.into(),
            invalid: None,
        }
    }

    /// `pods "web" not found`.
    pub fn not_found(resource: &str, name: &str) -> Self {
        Self::new(Reason::NotFound, format!("{resource} {} not found", go_quote(name)))
    }

    /// `pods "web" already exists`.
    pub fn already_exists(resource: &str, name: &str) -> Self {
        Self::new(
            Reason::AlreadyExists,
            format!("{resource} {} already exists", go_quote(name)),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(Reason::BadRequest, message)
    }

    /// `Deployment.apps "web" is invalid: [a, b]`, as `apierrors.NewInvalid` words it. `kind` is
    /// the qualified kind; the details keep the bare kind, which kubectl prints.
    pub fn invalid(kind: &str, name: &str, causes: Vec<FieldError>) -> Self {
        let list: Vec<String> = causes.iter().map(|c| c.to_string()).collect();
        let joined = if list.len() == 1 {
            list[0].clone()
        } else {
            format!("[{}]", list.join(", "))
        };
        ApiError {
            reason: Reason::Invalid,
            message: format!("{kind} {} is invalid: {joined}", go_quote(name)),
            invalid: Some(InvalidDetails {
                kind: kind.split('.').next().unwrap_or(kind).to_string(),
                name: name.to_string(),
                causes,
            }),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_error_wording() {
        let e = FieldError::invalid("metadata.name", BadValue::Str("Web".into()), "must be lowercase");
        assert_eq!(
            e.to_string(),
            r#"metadata.name: Invalid value: "Web": must be lowercase"#
        );
        assert_eq!(
            FieldError::required("spec.containers", "").to_string(),
            "spec.containers: Required value"
        );
        let ns = FieldError::not_supported(
            "spec.restartPolicy",
            BadValue::Str("Sometimes".into()),
            &["Always", "Never"],
        );
        assert_eq!(
            ns.to_string(),
            r#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never""#
        );
    }

    #[test]
    fn invalid_message_brackets_several_causes() {
        let one = ApiError::invalid("Pod", "x", vec![FieldError::required("a", "")]);
        assert_eq!(one.message, r#"Pod "x" is invalid: a: Required value"#);
        let two = ApiError::invalid(
            "Pod",
            "x",
            vec![FieldError::required("a", ""), FieldError::required("b", "")],
        );
        assert_eq!(
            two.message,
            r#"Pod "x" is invalid: [a: Required value, b: Required value]"#
        );
    }
}
