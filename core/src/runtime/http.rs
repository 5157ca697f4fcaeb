//! HTTP as the simulation carries it: a request reaches a process listening on a port and gets
//! a response back, with no bytes on a wire.

#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub host: String,
    pub user_agent: String,
    /// Address the request comes from, for access logs.
    pub client_ip: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Response {
            status,
            body: body.into(),
        }
    }
}
