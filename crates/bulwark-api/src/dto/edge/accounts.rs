//! Accounts and their onboarding record; temporary access tokens.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire_object;

wire_object! {
    /// An account's onboarding state (`proto.AccountOnboarding`). The `eula_signing_*`
    /// fields are recorded by the server when the EULA is signed.
    AccountOnboarding {
        completed_steps: Vec<String>,
        eula_signed: bool,
        eula_signing_ip: String,
        /// Epoch ms.
        eula_signing_time: i64,
        eula_signing_user: String,
        eula_signing_user_display_name: String,
        eula_version: String,
    }
}

wire_object! {
    /// The onboarding fields a client sets; steps join those already completed.
    OnboardingChanges {
        completed_steps: Vec<String>,
        /// Once true, cannot become false again.
        eula_signed: bool,
        eula_version: String,
    }
}

/// Update account onboarding info: only new values filled in.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UpdateOnboardingBody {
    /// "" or the account in the path.
    pub account_name: Option<String>,
    pub onboarding: Option<OnboardingChanges>,
}

wire_object! {
    /// An account (`proto.Account`), with the fields a self-hosted server has.
    AccountDto {
        backend_shard: String,
        create_time: i64,
        display_name: String,
        /// The SAML IdP metadata XML set with `PUT /bulwark/v1/accounts/{name}/sso`;
        /// empty without SAML (E005 only).
        idp_metadata: String,
        location: String,
        name: String,
        onboarding: AccountOnboarding,
        shard: String,
        /// 1 INIT, 2 ACTIVE, 3 SUSPENDED, 4 DELETED.
        status: i64,
        update_time: i64,
        uuid: String,
    }
}

/// `{"accounts": [...]}`: beyond the seed, the caller's own account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountList {
    pub accounts: Vec<AccountDto>,
}

/// Create Temporary Access Token: for viewing one user's logs.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CreateTemporaryTokenBody {
    /// "" or the caller's account.
    pub account_name: Option<String>,
    /// Time to live in seconds, 1 to 604800 (one week).
    pub ttl_sec: Option<i64>,
    /// The user whose logs are to be viewed: an existing user of the account.
    pub user_uuid: Option<String>,
}
