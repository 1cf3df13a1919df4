//! `GET /api/admin/user-admin`, streamed: Unleash's answer shape (`{"users": [...], "rootRoles": [...]}`) written page
//! by page as the store yields keyset pages of users, so memory stays flat whatever the number
//! of users (the `Api` method builds the whole list, then the whole body, in memory).
//!
//! The list is not one snapshot: a user created or deleted while a long list is being sent may
//! or may not be in it (each page is its own read), which is how Unleash's own list behaves under
//! concurrent changes too. If the database fails part-way, the body is aborted, so the client
//! sees a broken transfer, never a shorter list that looks complete.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::channel::{Channel, Sender};

use crate::domain::accounts::{Accounts, ListedUser};
use crate::http::api::user_json;
use crate::store::StoreError;

/// Users read (and written to the body) per unit of work.
pub const PAGE: usize = 500;

/// Pages waiting to be sent: what is held in memory at most, beside the page being read.
const BUFFERED_PAGES: usize = 2;

/// Why a streamed list was cut short.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("reading users: {0}")]
    Store(#[from] StoreError),
    #[error("writing a user as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The body of a streamed list.
pub type UserListBody = Channel<Bytes, ListError>;

/// Which part of the list: at most `limit` users (all when `None`) after skipping `offset`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub limit: Option<u64>,
    pub offset: u64,
}

/// Starts producing the list on a task of its own and answers the body it is written into.
pub fn stream(accounts: Arc<Accounts>, window: Window) -> UserListBody {
    let (mut sender, body) = Channel::new(BUFFERED_PAGES);
    tokio::spawn(async move {
        match produce(&accounts, &mut sender, window).await {
            Ok(()) | Err(Produce::ClientGone) => {}
            Err(Produce::Failed(error)) => {
                tracing::error!(%error, "the user list was cut short");
                sender.abort(error);
            }
        }
    });
    body
}

enum Produce {
    /// The client went away: nothing more to do.
    ClientGone,
    Failed(ListError),
}

impl<E: Into<ListError>> From<E> for Produce {
    fn from(error: E) -> Self {
        Produce::Failed(error.into())
    }
}

async fn send(sender: &mut Sender<Bytes, ListError>, bytes: Bytes) -> Result<(), Produce> {
    sender
        .send_data(bytes)
        .await
        .map_err(|_| Produce::ClientGone)
}

/// A listed user's JSON: the user, and its live sessions when the list shows them.
fn listed_json(listed: &ListedUser) -> unlatch_api::models::UserSchema {
    let mut json = user_json(&listed.user);
    json.active_sessions = listed
        .active_sessions
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    json
}

async fn produce(
    accounts: &Arc<Accounts>,
    sender: &mut Sender<Bytes, ListError>,
    window: Window,
) -> Result<(), Produce> {
    send(sender, Bytes::from_static(b"{\"users\":[")).await?;
    let mut left = window.limit.unwrap_or(u64::MAX);
    let (mut after, mut skip, mut first) = (0_i64, window.offset, true);
    while left > 0 {
        let want = usize::try_from(left).map_or(PAGE, |l| l.min(PAGE));
        let page = accounts.users_page(after, skip, want).await?;
        skip = 0;
        let mut chunk = Vec::with_capacity(page.len() * 256);
        for listed in &page {
            if !first {
                chunk.push(b',');
            }
            first = false;
            serde_json::to_writer(&mut chunk, &listed_json(listed))?;
        }
        if !chunk.is_empty() {
            send(sender, Bytes::from(chunk)).await?;
        }
        match page.last() {
            Some(last) if page.len() == want => {
                after = last.user.id.0;
                left -= want as u64;
            }
            _ => break,
        }
    }
    // The root roles close the answer, as in Unleash's (`{"users": [...], "rootRoles": [...]}`).
    let mut tail = b"],\"rootRoles\":".to_vec();
    serde_json::to_writer(&mut tail, &crate::http::api::root_roles())?;
    tail.push(b'}');
    send(sender, Bytes::from(tail)).await
}
