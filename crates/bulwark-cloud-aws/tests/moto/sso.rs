//! IAM Identity Center users (`AWS_SSO_USER`) against the planted directory:
//! dana is an admin through a group, eli has a direct read-only assignment,
//! fay has none in this account.

use bulwark_cloud_aws::keys::AWS_SSO_USER;
use bulwark_cloud_aws::{CollectOptions, GLOBAL_REGION, Regions, Service, collect};
use serde_json::json;

use crate::support::{
    ACCOUNT, PRIMARY, SECONDARY, block_on, credentials, estate, find, m, options,
};

fn only_sso(home_region: &str) -> CollectOptions {
    CollectOptions {
        services: Some(vec![Service::IdentityCenter]),
        home_region: home_region.to_owned(),
        ..options()
    }
}

#[test]
fn sso_users_with_groups_and_permission_sets() {
    block_on(async {
        let Some(e) = estate() else { return };
        let man = &e.manifest;
        let sso = |path: &[&str]| {
            let mut full = vec!["sso"];
            full.extend_from_slice(path);
            m(man, &full).to_owned()
        };
        // Every collected region is asked for an instance; the home region
        // does not matter (moto's eu-west-1 instance is empty).
        let creds = credentials(
            &e.url,
            Regions::List(vec![PRIMARY.into(), SECONDARY.into()]),
        );
        let r = collect(&creds, &only_sso(SECONDARY)).await.unwrap();
        assert!(r.errors.is_empty(), "errors: {:#?}", r.errors);
        assert!(r.listing_complete(AWS_SSO_USER, GLOBAL_REGION));
        assert_eq!(r.of_kind(AWS_SSO_USER).count(), 3);
        let (admin_set, read_only_set) = (
            sso(&["permission_sets", "PlatformAdmin"]),
            sso(&["permission_sets", "ReadOnly"]),
        );

        let dana = find(&r, AWS_SSO_USER, GLOBAL_REGION, &sso(&["users", "dana"]));
        assert_eq!(dana.name, "dana.admin");
        assert_eq!((dana.arn.as_deref(), dana.is_public), (None, None));
        assert_eq!(dana.account_id, ACCOUNT);
        let d = &dana.data;
        assert_eq!(d["userName"], "dana.admin");
        assert_eq!(d["displayName"], "Dana Admin");
        assert_eq!(
            d["name"],
            json!({"givenName": "Dana", "familyName": "Admin"})
        );
        assert_eq!(d["primaryEmail"], "dana@example.com");
        assert_eq!(
            d["emails"],
            json!([
                {"value": "dana@example.com", "type": "work", "primary": true},
                {"value": "dana.home@example.net", "type": "home", "primary": false},
            ])
        );
        assert_eq!(
            (&d["title"], &d["userType"]),
            (&json!("Cloud lead"), &json!("Employee"))
        );
        assert_eq!(d["identityStoreId"], sso(&["identity_store_id"]));
        assert_eq!(d["instanceArn"], sso(&["instance_arn"]));
        assert_eq!(d["instanceRegion"], PRIMARY);
        assert_eq!(d["groups"], json!(["CloudAdmins", "Engineers"]));
        assert_eq!(
            d["groupIds"],
            json!([
                sso(&["groups", "CloudAdmins"]),
                sso(&["groups", "Engineers"])
            ])
        );
        // Engineers is assigned PlatformAdmin only in another account.
        assert_eq!(
            d["permissionSets"],
            json!([{
                "name": "PlatformAdmin",
                "arn": admin_set,
                "via": "CloudAdmins",
                "managedPolicies": ["AdministratorAccess"],
                "hasInlinePolicy": false,
                "isAdmin": true,
            }])
        );
        assert_eq!(d["permissionSetNames"], json!(["PlatformAdmin"]));
        assert_eq!(d["assignedAccountIds"], json!([ACCOUNT]));
        assert_eq!(d["isAdmin"], true);
        assert_eq!(d["hasDirectAssignment"], false);

        let eli = find(&r, AWS_SSO_USER, GLOBAL_REGION, &sso(&["users", "eli"]));
        let d = &eli.data;
        assert_eq!(d["groups"], json!(["Engineers"]));
        assert_eq!(d["permissionSetNames"], json!(["ReadOnly"]));
        let set = &d["permissionSets"][0];
        assert_eq!(set["arn"], read_only_set);
        assert_eq!(set["via"], "USER");
        assert_eq!(set["managedPolicies"], json!(["ReadOnlyAccess"]));
        // A Deny-only inline policy: present, not admin.
        assert_eq!(
            (&set["hasInlinePolicy"], &set["isAdmin"]),
            (&json!(true), &json!(false))
        );
        assert_eq!(
            (&d["isAdmin"], &d["hasDirectAssignment"]),
            (&json!(false), &json!(true))
        );

        let fay = find(&r, AWS_SSO_USER, GLOBAL_REGION, &sso(&["users", "fay"]));
        let d = &fay.data;
        assert_eq!(d["groups"], json!(["Engineers"]));
        assert_eq!(d["permissionSets"], json!([]));
        assert_eq!(d["permissionSetNames"], json!([]));
        assert_eq!(d["assignedAccountIds"], json!([]));
        assert_eq!(
            (&d["isAdmin"], &d["hasDirectAssignment"]),
            (&json!(false), &json!(false))
        );
    });
}

#[test]
fn sso_outside_the_identity_center_region_finds_no_instance() {
    block_on(async {
        let Some(e) = estate() else { return };
        // moto has an (empty) instance in every region; its directory holds
        // none of the planted users.
        let creds = credentials(&e.url, Regions::List(vec![SECONDARY.into()]));
        let r = collect(&creds, &only_sso(SECONDARY)).await.unwrap();
        assert!(r.errors.is_empty(), "errors: {:#?}", r.errors);
        assert_eq!(r.of_kind(AWS_SSO_USER).count(), 0);
        assert!(r.assets.is_empty(), "only Identity Center was asked for");
    });
}
