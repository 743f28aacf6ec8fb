//! `bulwark admin`: account and token management straight on the database, whether or
//! not a server runs on the same data.

use std::sync::Arc;

use anyhow::Context;
use bulwark_core::Role;
use bulwark_core::ports::Store;
use bulwark_core::tokens::AccountService;

use crate::cli::{AccountCmd, AdminCmd, TokenCmd};
use crate::config::Config;
use crate::serve::open_store;

pub async fn run(cfg: Config, cmd: AdminCmd) -> anyhow::Result<()> {
    let store: Arc<dyn Store> = Arc::new(open_store(&cfg).await?);
    let accounts = AccountService::new(store.clone());
    match cmd {
        AdminCmd::Account(AccountCmd::Create { name }) => {
            let (a, created) = accounts.ensure(&name).await?;
            println!(
                "{}\t{}\t{}",
                a.name,
                a.id,
                if created { "created" } else { "exists" }
            );
        }
        AdminCmd::Account(AccountCmd::List) => {
            for a in store.list_accounts().await? {
                println!("{}\t{}\t{:?}", a.name, a.id, a.status);
            }
        }
        AdminCmd::Token(TokenCmd::Create {
            account,
            role,
            name,
        }) => {
            let role = Role::parse(&role)
                .filter(|r| *r != Role::None)
                .with_context(|| format!("unknown role `{role}`"))?;
            let (a, _) = accounts.ensure(&account).await?;
            let secret = accounts.issue_token(&a, role, &name).await?;
            // Only the token on stdout: scripts capture it.
            println!("{secret}");
        }
    }
    Ok(())
}
