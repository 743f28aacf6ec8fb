//! What evaluation answers. Uuids borrow from the [`crate::Index`].

use serde::Serialize;

use crate::enums::{AccessType, ActionFamily, PolicyAction, PolicyType};

/// The step the user must complete before the session is granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StepUp {
    /// [`PolicyAction::RequireMfa`].
    Mfa,
    /// [`PolicyAction::RunWorkflow`].
    Workflow,
    /// [`PolicyAction::RunAppSpecificWorkflow`].
    AppSpecificWorkflow,
    /// [`PolicyAction::RequireJustification`].
    Justification,
    /// [`PolicyAction::RequireReauthentication`].
    Reauthentication,
}

/// The answer to "may this session reach this app?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Granted.
    Allow,
    /// Refused.
    Deny,
    /// Granted once the step-up succeeds; the enforcement point runs it.
    StepUp(StepUp),
}

/// Why the verdict is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    /// The user uuid is not in the snapshot.
    UnknownUser,
    /// The user exists but is not active.
    InactiveUser,
    /// The app uuid is not in the snapshot.
    UnknownApp,
    /// The app exists but is not active.
    InactiveApp,
    /// The first matching access-family policy decided ([`Decision::access_policy`]).
    Policy,
    /// No access-family policy matched and an access object grants ([`Decision::access`]).
    Access,
    /// Nothing matched: default deny.
    NoGrant,
}

/// A matching policy, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PolicyHit<'a> {
    /// The policy's uuid.
    pub uuid: &'a str,
    /// Its priority.
    pub priority: i64,
    /// Its action.
    pub action: PolicyAction,
    /// Its type.
    pub policy_type: PolicyType,
}

/// A granting access object, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AccessHit<'a> {
    /// The access's uuid.
    pub uuid: &'a str,
    /// Its type (a break-glass grant is worth auditing).
    pub access_type: AccessType,
}

/// The full result of [`crate::Index::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Decision<'a> {
    /// Granted, refused, or granted after a step-up.
    pub verdict: Verdict,
    /// Why.
    pub reason: Reason,
    /// First matching policy of the access family (it decides when present).
    pub access_policy: Option<PolicyHit<'a>>,
    /// First matching routing-family policy.
    pub routing_policy: Option<PolicyHit<'a>>,
    /// First matching inspection-family policy.
    pub inspection_policy: Option<PolicyHit<'a>>,
    /// First matching alert-family policy.
    pub alert_policy: Option<PolicyHit<'a>>,
    /// First (by uuid) access object that grants, whether or not a policy decided.
    pub access: Option<AccessHit<'a>>,
}

impl<'a> Decision<'a> {
    /// A refusal before any matching (unknown or inactive user or app).
    pub(crate) const fn refused(reason: Reason) -> Decision<'a> {
        Decision {
            verdict: Verdict::Deny,
            reason,
            access_policy: None,
            routing_policy: None,
            inspection_policy: None,
            alert_policy: None,
            access: None,
        }
    }

    /// Combines the first policy of each family and the granting access.
    pub(crate) fn from_matches(
        slots: [Option<PolicyHit<'a>>; 4],
        access: Option<AccessHit<'a>>,
    ) -> Decision<'a> {
        let [
            access_policy,
            routing_policy,
            inspection_policy,
            alert_policy,
        ] = slots;
        let (verdict, reason) = match access_policy.and_then(|p| p.action.verdict()) {
            Some(v) => (v, Reason::Policy),
            None if access.is_some() => (Verdict::Allow, Reason::Access),
            None => (Verdict::Deny, Reason::NoGrant),
        };
        Decision {
            verdict,
            reason,
            access_policy,
            routing_policy,
            inspection_policy,
            alert_policy,
            access,
        }
    }

    /// The first matching policy of `family`.
    pub fn policy_of(&self, family: ActionFamily) -> Option<PolicyHit<'a>> {
        match family {
            ActionFamily::Access => self.access_policy,
            ActionFamily::Routing => self.routing_policy,
            ActionFamily::Inspection => self.inspection_policy,
            ActionFamily::Alert => self.alert_policy,
        }
    }
}

/// The answer to "Query access objects" (appid, userid).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccessMatches<'a> {
    /// Every access object that grants, by uuid.
    pub accesses: Vec<&'a str>,
    /// Apps the matching accesses name by uuid, plus the queried app; by uuid.
    pub apps: Vec<&'a str>,
    /// Groups the matching accesses name by uuid; by uuid.
    pub groups: Vec<&'a str>,
    /// Users the matching accesses name by uuid, plus the queried user; by uuid.
    pub users: Vec<&'a str>,
}
