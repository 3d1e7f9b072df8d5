//! Signing `reqwest` requests (the `reqwest` feature).

use chrono::{DateTime, Utc};

use super::signer::Signer;

#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
impl Signer {
    /// Signs a built `reqwest` request in place, as it will be sent: its method, its URL's path
    /// and query, and its body bytes.
    ///
    /// ```ignore
    /// let mut request = client.post(url).header("content-type", "application/json").body(body).build()?;
    /// signer.sign_reqwest(&mut request, Utc::now())?;
    /// let response = client.execute(request).await?;
    /// ```
    pub fn sign_reqwest(&self, request: &mut reqwest::Request, at: DateTime<Utc>) -> Result<(), StreamingBody> {
        let body = match request.body() {
            Some(body) => body.as_bytes().ok_or(StreamingBody)?,
            None => &[],
        };
        let url = request.url();
        let signed = self.sign(request.method().as_str(), url.path(), url.query(), body, at);
        signed.apply_to(request.headers_mut());
        Ok(())
    }
}

/// A request whose body is a stream cannot be signed: its bytes are not known before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamingBody;

impl std::fmt::Display for StreamingBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a streaming body cannot be signed; give the request its body as bytes")
    }
}

impl std::error::Error for StreamingBody {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{DATE_HEADER, SIGNATURE_HEADER, Secret, StringToSign};

    #[test]
    fn a_reqwest_request_is_signed_over_its_url_and_body() {
        let url = "http://127.0.0.1:8080/api/v1beta0/user/1/images/%7Bx%7D/?pageNum=1&maxResults=2";
        let mut request = reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap());
        *request.body_mut() = Some(reqwest::Body::from("{}"));
        let secret = Secret::new("s3cret");
        let at = "2026-11-28T23:42:04Z".parse().unwrap();
        Signer::new("APIKALICE", secret.clone()).unwrap().sign_reqwest(&mut request, at).unwrap();

        let headers = request.headers();
        let date = headers[DATE_HEADER].to_str().unwrap();
        let signature = headers[SIGNATURE_HEADER].to_str().unwrap().strip_prefix("V1-HMAC-SHA256 ").unwrap();
        let expected = StringToSign::new(
            "POST",
            date,
            "/api/v1beta0/user/1/images/%7Bx%7D/",
            Some("maxResults=2&pageNum=1"),
            b"{}",
        );
        assert!(expected.verify(&secret, signature.as_bytes()));
    }

    #[test]
    fn a_streaming_body_is_refused() {
        let mut request = reqwest::Request::new(reqwest::Method::POST, "http://127.0.0.1/x".parse().unwrap());
        *request.body_mut() = Some(reqwest::Body::wrap(String::from("{}")));
        let signer = Signer::new("APIKALICE", Secret::new("s")).unwrap();
        assert_eq!(signer.sign_reqwest(&mut request, Utc::now()), Err(StreamingBody));
    }
}
