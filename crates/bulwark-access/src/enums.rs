//! The canonical names of the integer enums the Edge seed gives only as numbers.
//!
//! Each enum converts both ways with its wire integer (`TryFrom<i32>`,
//! `From<Enum> for i32`), serialises as that integer, and has one canonical
//! upper-case name (`name()`, `from_name()`, `Display`, `FromStr`) for query
//! parameters such as `status=INIT,ACTIVE`. The crate README holds the table.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::decision::{StepUp, Verdict};
use crate::error::EnumError;

/// Declares a `#[repr(i32)]` enum with its wire conversions and canonical names,
/// so every mapping is written exactly once.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $wire_name:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[serde(into = "i32", try_from = "i32")]
        #[repr(i32)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $value, )+
        }

        impl $name {
            /// Every variant, in wire order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire integer.
            pub const fn to_i32(self) -> i32 {
                self as i32
            }

            /// The canonical upper-case name.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $wire_name),+
                }
            }

            /// Parses a canonical name, ignoring ASCII case.
            pub fn from_name(name: &str) -> Result<Self, EnumError> {
                let trimmed = name.trim();
                $(
                    if trimmed.eq_ignore_ascii_case($wire_name) {
                        return Ok($name::$variant);
                    }
                )+
                Err(EnumError::UnknownName { enum_name: stringify!($name), name: name.to_owned() })
            }
        }

        impl TryFrom<i32> for $name {
            type Error = EnumError;

            fn try_from(value: i32) -> Result<Self, Self::Error> {
                match value {
                    $($value => Ok($name::$variant),)+
                    _ => Err(EnumError::UnknownValue { enum_name: stringify!($name), value }),
                }
            }
        }

        impl From<$name> for i32 {
            fn from(value: $name) -> i32 {
                value.to_i32()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = EnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::from_name(s)
            }
        }
    };
}

wire_enum! {
    /// `proto.EnumStatus`, the lifecycle of every Edge object. The seed spells
    /// it out once: `INIT = 1; ACTIVE = 2; SUSPENDED = 3; DELETED = 4`.
    /// Only [`Status::Active`] objects take part in evaluation.
    Status {
        /// Not set (proto3 default). Treated as not active.
        #[default]
        Unspecified = 0 => "UNSPECIFIED",
        /// Created but not yet in force.
        Init = 1 => "INIT",
        /// In force.
        Active = 2 => "ACTIVE",
        /// Temporarily out of force.
        Suspended = 3 => "SUSPENDED",
        /// Soft-deleted.
        Deleted = 4 => "DELETED",
    }
}

impl Status {
    /// Whether the object takes part in evaluation.
    pub const fn is_active(self) -> bool {
        matches!(self, Status::Active)
    }
}

wire_enum! {
    /// `proto.PolicyType`: what a policy governs. It classifies policies for
    /// listing; which decision a policy takes part in follows from its
    /// [`PolicyAction`], except that [`PolicyType::AppControl`] policies never
    /// decide sessions (their actions apply to in-app events).
    PolicyType {
        /// Not set; behaves like [`PolicyType::Access`].
        #[default]
        Unspecified = 0 => "UNSPECIFIED",
        /// Who may reach an app, and under which step-up.
        Access = 1 => "ACCESS",
        /// How traffic to an app is routed (the seed: priority "only relevant
        /// for routing policies").
        Routing = 2 => "ROUTING",
        /// TLS interception and content inspection (`mitm_settings`).
        Inspection = 3 => "INSPECTION",
        /// A child of an app control policy (`parent_app_control_policy_uuid`,
        /// `policy_event_type`), acting on in-app events such as uploads.
        AppControl = 4 => "APP_CONTROL",
    }
}

wire_enum! {
    /// The policy `action` ("If a situation match all the conditions, trigger
    /// the action. e.g. [high_value_user, incompliant_device] -> block"). The
    /// hundreds digit groups actions into families, see [`ActionFamily`].
    PolicyAction {
        /// Not set: the policy matches but decides nothing.
        #[default]
        Unspecified = 0 => "UNSPECIFIED",
        /// Grant the session.
        Allow = 1 => "ALLOW",
        /// Refuse the session.
        Block = 2 => "BLOCK",
        /// Grant once the user completes multi-factor authentication.
        RequireMfa = 3 => "REQUIRE_MFA",
        /// Grant once the policy's workflow (`workflow_uuid`) is approved; the
        /// seed names this `RUN_WORKFLOW`.
        RunWorkflow = 4 => "RUN_WORKFLOW",
        /// Grant once the app's own workflow is approved; the seed names this
        /// `RUN_APP_SPECIFIC_WORKFLOW`.
        RunAppSpecificWorkflow = 101 => "RUN_APP_SPECIFIC_WORKFLOW",
        /// Grant once the user gives a written justification.
        RequireJustification = 102 => "REQUIRE_JUSTIFICATION",
        /// Grant once the user signs in again at the identity provider.
        RequireReauthentication = 103 => "REQUIRE_REAUTHENTICATION",
        /// Route the app's traffic through its connector.
        RouteViaConnector = 201 => "ROUTE_VIA_CONNECTOR",
        /// Route the traffic directly, bypassing the edge.
        RouteDirect = 202 => "ROUTE_DIRECT",
        /// Intercept TLS and inspect (honours `mitm_settings.fail_close`).
        Inspect = 300 => "INSPECT",
        /// Never intercept this traffic.
        DoNotInspect = 301 => "DO_NOT_INSPECT",
        /// Intercept and scan content for sensitive data (data-loss prevention).
        InspectWithDlp = 310 => "INSPECT_WITH_DLP",
        /// Intercept as the policy's `metadata` describes.
        InspectCustom = 399 => "INSPECT_CUSTOM",
        /// Let the session proceed but raise an alert.
        Alert = 400 => "ALERT",
        /// Refuse the session and end any live session for it.
        TerminateSession = 500 => "TERMINATE_SESSION",
    }
}

/// Which part of a decision a policy action fills: `decide` keeps the first
/// matching policy of each family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActionFamily {
    /// Actions 1-4, 101-103 and 500: whether the session is granted.
    Access,
    /// Actions 201-202.
    Routing,
    /// Actions 300-399.
    Inspection,
    /// Action 400.
    Alert,
}

impl ActionFamily {
    /// Every family, in the order of [`crate::Decision`]'s fields.
    pub const ALL: [ActionFamily; 4] = [
        ActionFamily::Access,
        ActionFamily::Routing,
        ActionFamily::Inspection,
        ActionFamily::Alert,
    ];

    /// Position in [`ActionFamily::ALL`].
    pub const fn slot(self) -> usize {
        self as usize
    }
}

impl PolicyAction {
    /// The family this action belongs to; `None` for [`PolicyAction::Unspecified`].
    pub const fn family(self) -> Option<ActionFamily> {
        use PolicyAction as A;
        match self {
            A::Unspecified => None,
            A::Allow
            | A::Block
            | A::RequireMfa
            | A::RunWorkflow
            | A::RunAppSpecificWorkflow
            | A::RequireJustification
            | A::RequireReauthentication
            | A::TerminateSession => Some(ActionFamily::Access),
            A::RouteViaConnector | A::RouteDirect => Some(ActionFamily::Routing),
            A::Inspect | A::DoNotInspect | A::InspectWithDlp | A::InspectCustom => {
                Some(ActionFamily::Inspection)
            }
            A::Alert => Some(ActionFamily::Alert),
        }
    }

    /// The verdict an access-family action imposes; `None` for other families.
    pub const fn verdict(self) -> Option<Verdict> {
        use PolicyAction as A;
        match self {
            A::Allow => Some(Verdict::Allow),
            A::Block | A::TerminateSession => Some(Verdict::Deny),
            A::RequireMfa => Some(Verdict::StepUp(StepUp::Mfa)),
            A::RunWorkflow => Some(Verdict::StepUp(StepUp::Workflow)),
            A::RunAppSpecificWorkflow => Some(Verdict::StepUp(StepUp::AppSpecificWorkflow)),
            A::RequireJustification => Some(Verdict::StepUp(StepUp::Justification)),
            A::RequireReauthentication => Some(Verdict::StepUp(StepUp::Reauthentication)),
            A::Unspecified
            | A::RouteViaConnector
            | A::RouteDirect
            | A::Inspect
            | A::DoNotInspect
            | A::InspectWithDlp
            | A::InspectCustom
            | A::Alert => None,
        }
    }
}

wire_enum! {
    /// The access object's `access_type` ("Type of access allowed"): how long
    /// the grant stands. Read together with the access's time window.
    AccessType {
        /// Not set; behaves like [`AccessType::Standing`].
        #[default]
        Unspecified = 0 => "UNSPECIFIED",
        /// A standing grant, bounded only by its window if it has one.
        Standing = 1 => "STANDING",
        /// A just-in-time grant (typically from an approved workflow run). It
        /// must carry an end time; without one it grants nothing (fail closed).
        JustInTime = 2 => "JUST_IN_TIME",
        /// An emergency grant: time-bounded like [`AccessType::JustInTime`],
        /// and reported in the decision so the server can audit it.
        BreakGlass = 3 => "BREAK_GLASS",
    }
}

impl AccessType {
    /// Whether a grant of this type needs an end time to be valid.
    pub const fn requires_end(self) -> bool {
        matches!(self, AccessType::JustInTime | AccessType::BreakGlass)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn every_variant_round_trips_through_integer_and_name() {
        fn check<E>(all: &[E])
        where
            E: Copy + PartialEq + fmt::Debug + TryFrom<i32> + Into<i32> + FromStr + fmt::Display,
            <E as TryFrom<i32>>::Error: fmt::Debug,
            <E as FromStr>::Err: fmt::Debug,
        {
            for &v in all {
                let n: i32 = v.into();
                assert_eq!(E::try_from(n).unwrap(), v);
                assert_eq!(v.to_string().parse::<E>().unwrap(), v);
            }
        }
        check(Status::ALL);
        check(PolicyType::ALL);
        check(PolicyAction::ALL);
        check(AccessType::ALL);
    }

    #[test]
    fn wire_integers_are_the_seed_ones() {
        let actions: Vec<i32> = PolicyAction::ALL.iter().map(|a| a.to_i32()).collect();
        assert_eq!(
            actions,
            [
                0, 1, 2, 3, 4, 101, 102, 103, 201, 202, 300, 301, 310, 399, 400, 500
            ]
        );
        let statuses: Vec<i32> = Status::ALL.iter().map(|s| s.to_i32()).collect();
        assert_eq!(statuses, [0, 1, 2, 3, 4]);
        assert_eq!(Status::Active.to_i32(), 2);
        assert_eq!(Status::Deleted.to_i32(), 4);
        assert_eq!(PolicyType::ALL.len(), 5);
        assert_eq!(AccessType::ALL.len(), 4);
    }

    #[test]
    fn unknown_values_and_names_are_refused() {
        assert_eq!(
            PolicyAction::try_from(5),
            Err(EnumError::UnknownValue {
                enum_name: "PolicyAction",
                value: 5
            })
        );
        assert!(Status::try_from(-1).is_err());
        assert!("ACTIV".parse::<Status>().is_err());
        assert_eq!("active".parse::<Status>().unwrap(), Status::Active);
        assert_eq!(" Suspended ".parse::<Status>().unwrap(), Status::Suspended);
    }

    #[test]
    fn serde_uses_the_wire_integer() {
        assert_eq!(
            serde_json::to_string(&PolicyAction::RunWorkflow).unwrap(),
            "4"
        );
        assert_eq!(serde_json::from_str::<Status>("2").unwrap(), Status::Active);
        assert!(serde_json::from_str::<Status>("9").is_err());
    }

    #[test]
    fn families_and_verdicts_follow_the_hundreds_digit() {
        for &a in PolicyAction::ALL {
            let fam = a.family();
            match a.to_i32() {
                0 => assert_eq!(fam, None),
                1..=199 | 500 => assert_eq!(fam, Some(ActionFamily::Access)),
                200..=299 => assert_eq!(fam, Some(ActionFamily::Routing)),
                300..=399 => assert_eq!(fam, Some(ActionFamily::Inspection)),
                400 => assert_eq!(fam, Some(ActionFamily::Alert)),
                other => unreachable!("unexpected action {other}"),
            }
            // Exactly the access family carries a verdict.
            assert_eq!(a.verdict().is_some(), fam == Some(ActionFamily::Access));
        }
        assert_eq!(PolicyAction::Block.verdict(), Some(Verdict::Deny));
        assert_eq!(PolicyAction::Allow.verdict(), Some(Verdict::Allow));
    }

    #[test]
    fn only_active_status_takes_part_and_jit_needs_an_end() {
        let active: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_active())
            .collect();
        assert_eq!(active, [Status::Active]);
        assert!(AccessType::JustInTime.requires_end());
        assert!(AccessType::BreakGlass.requires_end());
        assert!(!AccessType::Standing.requires_end());
        assert!(!AccessType::Unspecified.requires_end());
    }
}
