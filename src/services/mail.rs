//! Outgoing mail through lettre: SMTP when `PARTNERDESK_SMTP_URL` is set, otherwise .eml files
//! in the outbox folder, so a machine without a mail server still shows what would be sent.
//! Called only after the database transaction of the change has committed.

use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address {0}")]
    Address(String),
    #[error("mail could not be built: {0}")]
    Build(String),
    #[error("mail transport failed: {0}")]
    Transport(String),
}

/// Sends one plain-text message to each recipient (so no one sees the others' addresses).
pub async fn send_plain(settings: &Settings, to: &[String], subject: &str, body: &str) -> Result<(), MailError> {
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|_| MailError::Address(settings.mail_from.clone()))?;
    let mut messages = Vec::new();
    for address in to {
        let mailbox: Mailbox = address.parse().map_err(|_| MailError::Address(address.clone()))?;
        let message = Message::builder()
            .from(from.clone())
            .to(mailbox)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| MailError::Build(e.to_string()))?;
        messages.push(message);
    }
    match &settings.smtp_url {
        Some(url) => {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| MailError::Transport(e.to_string()))?
                .build();
            for message in messages {
                transport
                    .send(message)
                    .await
                    .map_err(|e| MailError::Transport(e.to_string()))?;
            }
        }
        None => {
            let outbox = settings.outbox_dir();
            tokio::fs::create_dir_all(&outbox)
                .await
                .map_err(|e| MailError::Transport(e.to_string()))?;
            let transport = AsyncFileTransport::<Tokio1Executor>::new(&outbox);
            for message in messages {
                transport
                    .send(message)
                    .await
                    .map_err(|e| MailError::Transport(e.to_string()))?;
            }
        }
    }
    Ok(())
}
