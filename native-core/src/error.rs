//! Error codes of the C ABI and the error type every operation returns.

use std::fmt;

/// Status codes returned by every export; 0 is success.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Ok = 0,
    InvalidArgument = 1,
    NotFound = 2,
    Io = 3,
    Corrupted = 4,
    Panic = 5,
    Busy = 6,
}

#[derive(Debug)]
pub struct Error {
    pub code: Code,
    pub message: String,
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Self {
        Error { code: Code::InvalidArgument, message: message.into() }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Error { code: Code::NotFound, message: message.into() }
    }
    pub fn corrupted(message: impl Into<String>) -> Self {
        Error { code: Code::Corrupted, message: message.into() }
    }
    pub fn io(context: impl fmt::Display, err: std::io::Error) -> Self {
        Error { code: Code::Io, message: format!("{context}: {err}") }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
