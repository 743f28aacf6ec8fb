//! Search keys the collector fills, and the `moreInfo` fields of the Optix
//! response samples.

/// EC2 instances (`/vms`).
pub const AWS_HOST: &str = "AWS_HOST";
/// AMIs owned by the account.
pub const AWS_AMI: &str = "AWS_AMI";
/// EBS volumes.
pub const AWS_EBS_VOLUME: &str = "AWS_EBS_VOLUME";
/// Security groups.
pub const AWS_SECURITY_GROUP: &str = "AWS_SECURITY_GROUP";
/// VPCs.
pub const AWS_VPC: &str = "AWS_VPC";
/// IAM users (`/users`).
pub const AWS_USER: &str = "AWS_USER";
/// IAM groups.
pub const AWS_GROUP: &str = "AWS_GROUP";
/// IAM roles.
pub const AWS_ROLE: &str = "AWS_ROLE";
/// S3 buckets.
pub const AWS_S3: &str = "AWS_S3";
/// Lambda functions (`/serverless`).
pub const AWS_LAMBDA: &str = "AWS_LAMBDA";
/// RDS DB instances.
pub const AWS_RDS: &str = "AWS_RDS";
/// Redshift clusters.
pub const AWS_REDSHIFT_CLUSTER: &str = "AWS_REDSHIFT_CLUSTER";
/// OpenSearch (Elasticsearch) domains.
pub const AWS_ES: &str = "AWS_ES";
/// EKS clusters (`/containers?cloudProvider=eks&containerType=clusters`).
pub const AWS_CLUSTER: &str = "AWS_CLUSTER";
/// EKS managed node groups.
pub const AWS_NODE_GROUP: &str = "AWS_NODE_GROUP";
/// EKS worker nodes, as seen from EC2 (`/containers?…&containerType=nodes`).
pub const AWS_NODE: &str = "AWS_NODE";
/// ECS task definitions.
pub const AWS_TASK_DEFINITION: &str = "AWS_TASK_DEFINITION";
/// Container definitions of Fargate-compatible ECS task definitions.
pub const AWS_CONTAINER_FARGATE: &str = "AWS_CONTAINER_FARGATE";
/// Container registries (ECR repositories; the key is shared with Azure and Docker).
pub const IMAGE_REGISTRY: &str = "IMAGE_REGISTRY";
/// IAM Identity Center users (with their groups and permission sets).
pub const AWS_SSO_USER: &str = "AWS_SSO_USER";
/// Resources whose policies grant access outside the account ("Citadel findings").
pub const AWS_EXTERNAL_ACCESS: &str = "AWS_EXTERNAL_ACCESS";
/// CloudTrail events, read from the trails' S3 log files.
pub const AWS_ACTIVITY_LOG: &str = "AWS_ACTIVITY_LOG";
/// High-risk and anomalous activity found in [`AWS_ACTIVITY_LOG`] events.
pub const AWS_HIGHRISK_ANOMALY: &str = "AWS_HIGHRISK_ANOMALY";
/// VPC flow-log records of traffic into the account's interfaces.
pub const AWS_INCOMING_TRAFFIC: &str = "AWS_INCOMING_TRAFFIC";
/// VPC flow-log records of traffic out of the account's interfaces.
pub const AWS_OUTGOING_TRAFFIC: &str = "AWS_OUTGOING_TRAFFIC";

/// KMS keys (no Optix key; in [`crate::CollectResult::supporting`]).
pub const AWS_X_KMS_KEY: &str = "AWS_X_KMS_KEY";
/// CloudTrail trails (no Optix key).
pub const AWS_X_CLOUDTRAIL_TRAIL: &str = "AWS_X_CLOUDTRAIL_TRAIL";
/// VPC flow log configurations (no Optix key; also summarised on each `AWS_VPC`).
pub const AWS_X_FLOW_LOG: &str = "AWS_X_FLOW_LOG";
/// Elastic network interfaces (no Optix key; instance ENIs also appear in `AWS_HOST`).
pub const AWS_X_NETWORK_INTERFACE: &str = "AWS_X_NETWORK_INTERFACE";

/// Every Optix search key this crate fills.
pub const COVERED: [&str; 21] = [
    AWS_HOST,
    AWS_AMI,
    AWS_EBS_VOLUME,
    AWS_SECURITY_GROUP,
    AWS_VPC,
    AWS_USER,
    AWS_GROUP,
    AWS_ROLE,
    AWS_S3,
    AWS_LAMBDA,
    AWS_RDS,
    AWS_REDSHIFT_CLUSTER,
    AWS_ES,
    AWS_CLUSTER,
    AWS_NODE_GROUP,
    AWS_NODE,
    AWS_TASK_DEFINITION,
    AWS_CONTAINER_FARGATE,
    IMAGE_REGISTRY,
    AWS_SSO_USER,
    AWS_EXTERNAL_ACCESS,
];

/// Optix search keys filled from log files: events, never marked missing
/// because a later lookback window no longer contains them.
pub const EVENTS: [&str; 4] = [
    AWS_ACTIVITY_LOG,
    AWS_HIGHRISK_ANOMALY,
    AWS_INCOMING_TRAFFIC,
    AWS_OUTGOING_TRAFFIC,
];

/// Whether the collector fills `search_key` (as state or as events).
pub fn fills(search_key: &str) -> bool {
    COVERED.contains(&search_key) || EVENTS.contains(&search_key)
}

/// The `moreInfo` fields of the Optix response sample for `search_key`, in
/// the sample's order; `None` for kinds without a sample.
pub fn more_info_fields(search_key: &str) -> Option<&'static [&'static str]> {
    // The lists live once, with the inventory model that serves them.
    match search_key {
        AWS_HOST | AWS_USER | AWS_LAMBDA | AWS_CLUSTER | AWS_NODE => {
            bulwark_inventory::shapes::fields_of(search_key)
        }
        _ => None,
    }
}
