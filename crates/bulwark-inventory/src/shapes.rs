//! The `moreInfo` field lists of the seed's response samples (Optix
//! `/vms`, `/users`, `/serverless` and `/containers`), in the seed's order.
//!
//! For the search keys these describe, an asset's `data` is exactly these
//! fields; the serving helpers project `data` onto them, so a producer
//! (such as the AWS collector) that adds fields cannot change a response.

/// `AWS_HOST`: the AWS item of `GET /api/v1/vms`.
pub const AWS_HOST: &[&str] = &[
    "imageId",
    "instanceProfileId",
    "runningState",
    "instanceType",
    "region",
    "availabilityZone",
    "subnetId",
    "vpcId",
    "isPublic",
    "hasContainerNodes",
    "isIAMRoleAssigned",
    "securityGroupList",
    "networkInterfaces",
    "tags",
    "lastModifiedBy",
    "serverAgent",
];

/// `GCP_HOST`: the GCP item of `GET /api/v1/vms`.
pub const GCP_HOST: &[&str] = &[
    "name",
    "description",
    "instanceType",
    "status",
    "zone",
    "canIpForward",
    "cpuPlatform",
    "kind",
    "startRestricted",
    "isPublic",
    "publicIP",
    "privateIP",
    "deletionProtection",
    "networkInterfaceList",
    "disksList",
    "metadata",
    "tags",
    "firewallList",
    "serviceAccountList",
    "hasContainerNodes",
];

/// `AZURE_HOST`: the Azure item of `GET /api/v1/vms` (note the seed's
/// spelling `ipConfigration` inside `networkInterfaces`).
pub const AZURE_HOST: &[&str] = &[
    "name",
    "image",
    "runningState",
    "instanceType",
    "region",
    "osType",
    "subnetId",
    "resourceGroup",
    "isPublic",
    "passwordLogin",
    "provisioningState",
    "vnetId",
    "osDiskEncryption",
    "publicIP",
    "privateIP",
    "primarySecurityGroup",
    "hasContainerNodes",
    "dataDisksEncryption",
    "securityGroupList",
    "networkInterfaces",
    "tags",
    "vmScaleSetId",
    "vmScaleSet",
    "serverAgent",
];

/// `AWS_USER`: the AWS item of `GET /api/v1/users`.
pub const AWS_USER: &[&str] = &[
    "accessKeyAge",
    "arn",
    "attachedManagedPolicyCount",
    "consolePasswdStatus",
    "groupList",
    "isActive",
    "isMfaActive",
    "lastActivity",
    "createDate",
    "lastModifiedBy",
    "attachedPolicies",
    "passwordLastChanged",
    "passwordLastUsed",
    "path",
    "userId",
    "userPolicyCount",
    "isOverPrivileged",
    "policyUtilizationRatio",
];

/// `GCP_USER`: the GCP item of `GET /api/v1/users`.
pub const GCP_USER: &[&str] = &[
    "agreedToTerms",
    "changePasswordAtNextLogin",
    "creationTime",
    "deletionTime",
    "instanceId",
    "ipWhitelisted",
    "isAdmin",
    "isArchived",
    "isDelegatedAdmin",
    "isEnrolledIn2Sv",
    "isEnforcedIn2Sv",
    "isSuspended",
    "lastLoginTime",
    "orgId",
    "primaryEmail",
];

/// `AZURE_USER`: the Azure item of `GET /api/v1/users`.
pub const AZURE_USER: &[&str] = &[
    "accessKeyAge",
    "attachedManagedPolicyCount",
    "consolePasswdStatus",
    "createDate",
    "deletionTimestamp",
    "groupList",
    "instanceId",
    "isActive",
    "isMfaActive",
    "mail",
    "mainNickname",
    "passwordLastChanged",
    "passwordLastUsed",
    "principalName",
    "signInName",
    "source",
    "tenantId",
    "usageLocation",
    "userPolicyCount",
    "userType",
];

/// `AWS_LAMBDA`: the AWS item of `GET /api/v1/serverless`.
pub const AWS_LAMBDA: &[&str] = &[
    "functionArn",
    "runtime",
    "role",
    "codeSize",
    "memorySize",
    "lastModified",
    "version",
    "revisionId",
    "vpcId",
    "lastModifiedBy",
    "functionPolicy",
    "mappedSecurityGroupIdList",
    "executionRole",
    "mappedTags",
];

/// `AZURE_FUNCTION` (and `AZURE_APP_SERVICE`): the Azure item of
/// `GET /api/v1/serverless`.
pub const AZURE_FUNCTION: &[&str] = &[
    "resourceGroup",
    "instanceId",
    "alwaysOn",
    "appServicePlanId",
    "autoSwapSlotName",
    "clientAffinityEnabled",
    "clientCertEnabled",
    "containerSize",
    "defaultHostName",
    "enabled",
    "http20Enabled",
    "webSocketsEnabled",
    "storageAccount",
    "state",
    "repositorySiteName",
    "remoteDebuggingEnabled",
    "httpsOnly",
    "defaultContainer",
    "lastModifiedTime",
    "localMySqlEnabled",
    "os",
    "platformArchitecture",
    "isPublic",
    "ftpsOnly",
    "authEnabled",
    "principalId",
    "tlsVersion",
    "mappedOutboundIps",
    "mappedTags",
];

/// `*_CLUSTER`: the (EKS) cluster item of `GET /api/v1/containers`, also
/// used for AKS and GKE clusters.
pub const CLUSTER: &[&str] = &[
    "instanceId",
    "region",
    "roleArn",
    "version",
    "createdAt",
    "endpoint",
    "platformVersion",
    "status",
    "vpcId",
    "endpointPublicAccess",
    "endpointPrivateAccess",
    "mappedSecurityGroupList",
    "mappedSubnetList",
    "mappedLogging",
    "mappedTags",
];

/// `*_NODE`: the node item of `GET /api/v1/containers`.
pub const NODE: &[&str] = &[
    "instanceId",
    "namespace",
    "publicIp",
    "vmId",
    "provider",
    "providerId",
    "podCIDR",
    "containerVersion",
    "kernelVersion",
    "kubeProxyVersion",
    "kubeletVersion",
    "startTime",
    "cloudProvider",
    "cloudProviderId",
    "mappedAddresses",
    "mappedTags",
];

/// `*_POD`: the pod item of `GET /api/v1/containers`.
pub const POD: &[&str] = &[
    "instanceId",
    "namespace",
    "nodeName",
    "privateIP",
    "status",
    "startTime",
    "subDomain",
    "spawnedBy",
    "serviceAccount",
    "hostIP",
    "isPublic",
    "isPrivileged",
    "cloudProvider",
    "cloudProviderId",
    "automountServiceAccountToken",
    "mappedPodSecurityContext",
    "mappedTags",
    "mappedNodeSelector",
    "mappedOwnerRefList",
];

/// `*_CONTAINER`: the container item of `GET /api/v1/containers`.
pub const CONTAINER: &[&str] = &[
    "instanceId",
    "image",
    "imagePullPolicy",
    "status",
    "startedTime",
    "restartCount",
    "allowPrivilegeEscalation",
    "privileged",
    "workingDir",
    "isStdin",
    "isStdinOnce",
    "cloudProvider",
    "cloudProviderId",
    "mappedPorts",
    "mappedSecurityContext",
    "mappedCommands",
    "mappedArgs",
];

/// The sample field list that a search key's `data` follows, if the seed
/// has a sample for it.
pub fn fields_of(search_key: &str) -> Option<&'static [&'static str]> {
    let fields = match search_key {
        "AWS_HOST" => AWS_HOST,
        "GCP_HOST" => GCP_HOST,
        "AZURE_HOST" => AZURE_HOST,
        "AWS_USER" => AWS_USER,
        "GCP_USER" => GCP_USER,
        "AZURE_USER" => AZURE_USER,
        "AWS_LAMBDA" => AWS_LAMBDA,
        "AZURE_FUNCTION" | "AZURE_APP_SERVICE" => AZURE_FUNCTION,
        "AWS_CLUSTER" | "AZURE_CLUSTER" | "GCP_CLUSTER" => CLUSTER,
        "AWS_NODE" | "AZURE_NODE" | "GCP_NODE" | "NATIVE_NODE" => NODE,
        "AWS_POD" | "AZURE_POD" | "GCP_POD" | "NATIVE_POD" => POD,
        "AWS_CONTAINER" | "AZURE_CONTAINER" | "GCP_CONTAINER" | "NATIVE_CONTAINER" => CONTAINER,
        _ => return None,
    };
    Some(fields)
}
