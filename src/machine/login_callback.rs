//! The login-callback flow (Spoke style): a token the identity provider
//! put in the page's address (`#jwt=…` / `?jwt=…`) leaves the address bar,
//! must carry this tab's pending login nonce, and signs the reader in.

use alloc::borrow::ToOwned;

use crate::error::{Code, Error};
use crate::protocol::Val;

use super::effect::{Effects, Query};
use super::emitter::removed;
use super::input::{Answer, Page, Token};
use super::page;
use super::session::check_login;
use super::state::Core;
use super::{Answers, Stop};

/// A login-callback token that passed every check, with its `exp`.
type Callback = Option<(Token, Option<f64>)>;

impl Core {
    /// `handleLoginCallback()`: signs in with a login-callback token from
    /// the page's address that carries this tab's pending nonce.
    pub fn handle_login_callback(
        &mut self,
        fx: &mut Effects,
        id: u32,
        answers: &mut Answers,
        now: f64,
    ) -> Result<bool, Stop> {
        self.embed(id).ok_or_else(removed)?;
        let page = answers.page()?;
        let found = callback(&page, answers, now)?;
        Ok(match found {
            Some((t, exp)) => {
                self.login(fx, id, &t, exp, now);
                true
            }
            None => false,
        })
    }
}

/// Asks the executor to decode `token`.
pub(super) fn claims(answers: &mut Answers, token: &str) -> Result<Token, Stop> {
    Ok(match answers.ask(Query::Claims(token.to_owned()))? {
        Answer::Token(t) => t,
        _ => Token::default(),
    })
}

/// The login-callback flow: a `jwt` in the page's address leaves the
/// address bar first (if it cannot, it is not used: fail closed), then it
/// must carry this tab's pending nonce, which it spends.
pub(super) fn callback(page: &Page, answers: &mut Answers, now: f64) -> Result<Callback, Stop> {
    let Some((token, url)) = page::callback_token(page) else {
        return Ok(None);
    };
    if !matches!(
        answers.ask(Query::Replace(url))?,
        Answer::Val(Val::Bool(true))
    ) {
        return Err(Error::new(
            Code::LoginCallbackStuck,
            &["login callback token unused: it stayed in the URL."],
        )
        .into());
    }
    if token.is_empty() {
        return Ok(None);
    }
    let pending = match answers.ask(Query::TakeNonce)? {
        Answer::Val(Val::Str(s)) => Some(s),
        _ => None,
    };
    let t = claims(answers, &token)?;
    let exp = check_login(Some(&t), Some(pending.as_deref()), now)?;
    Ok(Some((t, exp)))
}
