//! Flow-log and CloudTrail files the fixture wrote into the log bucket.

use bulwark_cloud_aws::CollectResult;
use bulwark_cloud_aws::keys::{
    AWS_ACTIVITY_LOG, AWS_HIGHRISK_ANOMALY, AWS_INCOMING_TRAFFIC, AWS_OUTGOING_TRAFFIC,
};
use serde_json::Value;

use crate::support::{PRIMARY, SECONDARY, find, m};

pub fn check_traffic(r: &CollectResult, man: &Value) {
    let eni = m(man, &[PRIMARY, "web_eni_id"]);
    let ip = m(man, &[PRIMARY, "web_private_ip"]);
    let instance = m(man, &[PRIMARY, "web_instance_id"]);
    let of = |key: &str| -> Vec<_> {
        r.assets
            .iter()
            .filter(|a| a.search_key == key && a.region == PRIMARY)
            .collect()
    };
    let incoming = of(AWS_INCOMING_TRAFFIC);
    let outgoing = of(AWS_OUTGOING_TRAFFIC);
    // SSH (request and reply folded into one connection) and the RDP probe;
    // the NODATA record and the other flow log's file add nothing.
    assert_eq!(incoming.len(), 2, "{incoming:#?}");
    assert_eq!(outgoing.len(), 1, "{outgoing:#?}");

    let ssh = incoming
        .iter()
        .find(|a| a.data["destinationPort"] == 22)
        .expect("the SSH connection");
    let d = &ssh.data;
    assert_eq!(ssh.region, PRIMARY);
    assert_eq!(ssh.is_public, Some(true));
    assert_eq!(d["sourceIp"], "203.0.113.7");
    assert_eq!(d["destinationIp"], ip);
    assert_eq!(d["interfaceId"], eni);
    assert_eq!(d["instanceId"], instance);
    assert_eq!(d["vpcId"], m(man, &[PRIMARY, "vpc_id"]));
    assert_eq!(d["flowLogId"], m(man, &["flow_log_id"]));
    assert_eq!(
        (d["bytesIn"].as_i64(), d["bytesOut"].as_i64()),
        (Some(2520), Some(4180))
    );
    assert_eq!(d["protocol"], "TCP");
    assert_eq!(d["action"], "ACCEPT");
    assert_eq!(d["localSideFrom"], "interface-address");

    let rdp = incoming
        .iter()
        .find(|a| a.data["destinationPort"] == 3389)
        .expect("the RDP probe");
    assert_eq!(rdp.data["action"], "REJECT");
    assert_eq!(rdp.data["sourceIp"], "198.51.100.9");

    let https = outgoing[0];
    assert_eq!(https.data["destinationIp"], "93.184.216.34");
    assert_eq!(https.data["destinationPort"], 443);
    assert_eq!(https.data["sourceIp"], ip);
    assert_eq!(https.data["bytesOut"], 3000);
    assert_eq!(https.data["bytesIn"], 90000);
    assert_eq!(https.data["flowRecords"], 2);

    // eu-west-1: the web server's interface logs to CloudWatch Logs.
    let eu = |key: &str| -> Vec<_> {
        r.assets
            .iter()
            .filter(|a| a.search_key == key && a.region == SECONDARY)
            .collect()
    };
    let (eu_in, eu_out) = (eu(AWS_INCOMING_TRAFFIC), eu(AWS_OUTGOING_TRAFFIC));
    // RDP in; DNS out now and SMTP out three hours ago, both in the 24-hour window.
    assert_eq!(
        (eu_in.len(), eu_out.len()),
        (1, 2),
        "{eu_in:#?} {eu_out:#?}"
    );
    let rdp = &eu_in[0].data;
    assert_eq!(rdp["flowLogId"], m(man, &["cwl_flow_log_id"]));
    assert_eq!(rdp["destinationPort"], 3389);
    assert_eq!(rdp["sourceIp"], "198.51.100.77");
    assert_eq!(rdp["destinationIp"], m(man, &[SECONDARY, "web_private_ip"]));
    assert_eq!(
        (rdp["bytesIn"].as_i64(), rdp["bytesOut"].as_i64()),
        (Some(4200), Some(51000))
    );
    assert_eq!(rdp["instanceId"], m(man, &[SECONDARY, "web_instance_id"]));
    let dns = &eu_out
        .iter()
        .find(|a| a.data["destinationPort"] == 53)
        .expect("DNS")
        .data;
    assert_eq!(
        (
            dns["destinationIp"].as_str(),
            dns["destinationPort"].as_i64()
        ),
        (Some("8.8.8.8"), Some(53))
    );
    assert_eq!(dns["protocol"], "UDP");
}

pub fn check_activity(r: &CollectResult, man: &Value) {
    let id = |name: &str| m(man, &["events", name]);
    let login = find(r, AWS_ACTIVITY_LOG, PRIMARY, id("console_login_no_mfa"));
    let d = &login.data;
    assert_eq!(login.name, "ConsoleLogin");
    assert_eq!(d["principal"], "arn:aws:iam::123456789012:user/alice");
    assert_eq!(d["mfaUsed"], false);
    assert_eq!(d["consoleLoginResult"], "Success");
    assert_eq!(d["eventType"], "AwsConsoleSignIn");
    assert_eq!(d["trailName"], "org-trail");
    assert_eq!(login.is_public, Some(true));
    assert!(
        d["eventTimeMs"]
            .as_i64()
            .is_some_and(|t| t > 1_700_000_000_000)
    );

    let stop = find(r, AWS_ACTIVITY_LOG, PRIMARY, id("stop_logging"));
    assert_eq!(
        stop.data["principal"],
        "arn:aws:sts::123456789012:assumed-role/deploy/ci"
    );
    assert_eq!(
        stop.data["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"],
        "deploy"
    );
    assert_eq!(stop.data["requestParameters"]["name"], "org-trail");

    let denied = find(r, AWS_ACTIVITY_LOG, PRIMARY, id("denied_delete_trail"));
    assert_eq!(denied.data["errorCode"], "AccessDenied");

    let eu = find(r, AWS_ACTIVITY_LOG, SECONDARY, id("eu_run_instances"));
    assert_eq!(eu.data["eventSource"], "ec2.amazonaws.com");

    // Eight events in the collected regions; ap-south-1 is not collected and
    // the digest file is not an event file.
    let events: Vec<_> = r
        .assets
        .iter()
        .filter(|a| a.search_key == AWS_ACTIVITY_LOG)
        .collect();
    assert_eq!(
        events.len(),
        8,
        "{:#?}",
        events.iter().map(|e| &e.name).collect::<Vec<_>>()
    );
    assert!(
        events
            .iter()
            .all(|e| e.resource_id != id("uncollected_region"))
    );
}

pub fn check_anomalies(r: &CollectResult, man: &Value) {
    let id = |name: &str| m(man, &["events", name]);
    let found: Vec<(&str, &str, &str)> = r
        .assets
        .iter()
        .filter(|a| a.search_key == AWS_HIGHRISK_ANOMALY)
        .map(|a| {
            (
                a.data["ruleId"].as_str().unwrap_or_default(),
                a.data["severity"].as_str().unwrap_or_default(),
                a.resource_id.as_str(),
            )
        })
        .collect();
    assert_eq!(found.len(), 5, "{found:#?}");
    for (rule, severity, event) in [
        ("console-login-no-mfa", "MEDIUM", "console_login_no_mfa"),
        ("root-console-login-no-mfa", "CRITICAL", "root_login"),
        ("cloudtrail-tampering", "HIGH", "stop_logging"),
        ("security-group-open-to-world", "HIGH", "open_ssh"),
        ("iam-privilege-escalation", "HIGH", "attach_admin"),
    ] {
        let want = format!("{rule}:{}", id(event));
        assert!(
            found
                .iter()
                .any(|(r, s, i)| *r == rule && *s == severity && *i == want),
            "{rule} {severity} for {event} missing from {found:#?}"
        );
    }
    // A refused DeleteTrail is no tampering; a read-only call raises nothing.
    for quiet in [
        "denied_delete_trail",
        "describe_instances",
        "eu_run_instances",
    ] {
        assert!(
            !found.iter().any(|(_, _, i)| i.ends_with(id(quiet))),
            "{quiet} raised an anomaly: {found:#?}"
        );
    }
    let stop = r
        .assets
        .iter()
        .find(|a| a.resource_id == format!("cloudtrail-tampering:{}", id("stop_logging")))
        .unwrap();
    assert_eq!(
        stop.data["principal"],
        "arn:aws:sts::123456789012:assumed-role/deploy/ci"
    );
    assert_eq!(
        stop.data["eventIds"],
        serde_json::json!([id("stop_logging")])
    );
    assert_eq!(stop.region, PRIMARY);
}

/// With a one-hour window the three-hour-old SMTP connection is not read.
pub fn check_window(r: &CollectResult) {
    let ports: Vec<i64> = r
        .assets
        .iter()
        .filter(|a| a.search_key == AWS_OUTGOING_TRAFFIC)
        .filter_map(|a| a.data["destinationPort"].as_i64())
        .collect();
    assert_eq!(ports, [53], "{ports:?}");
}
