//! EC2 storage in one region: EBS volumes (`AWS_EBS_VOLUME`) and the
//! account's own AMIs (`AWS_AMI`).

use aws_sdk_ec2::Client;
use serde_json::json;

use crate::ctx::{Ctx, Scope};
use crate::ec2::ec2_tags;
use crate::keys::{AWS_AMI, AWS_EBS_VOLUME};
use crate::util::{date, name_tag};

pub(crate) async fn collect_volumes(ctx: &Ctx, client: &Client, scope: Scope<'_>) {
    let region = scope.region;
    let pages = match ctx
        .pages(client.describe_volumes().into_paginator().send())
        .await
    {
        Ok(pages) => pages,
        Err(e) => {
            ctx.fail_list(scope, "DescribeVolumes", &[AWS_EBS_VOLUME], &e);
            return;
        }
    };
    for v in pages.iter().flat_map(|p| p.volumes()) {
        let Some(id) = v.volume_id() else { continue };
        let tags = ec2_tags(v.tags());
        let name = name_tag(&tags).unwrap_or(id).to_owned();
        let attachments: Vec<_> = v
            .attachments()
            .iter()
            .map(|a| {
                json!({
                    "instanceId": a.instance_id(),
                    "device": a.device(),
                    "state": a.state().map(|s| s.as_str()),
                    "deleteOnTermination": a.delete_on_termination(),
                    "attachTime": date(a.attach_time()),
                })
            })
            .collect();
        let data = json!({
            "volumeId": id,
            "name": name,
            "size": v.size(),
            "volumeType": v.volume_type().map(|t| t.as_str()),
            "encrypted": v.encrypted().unwrap_or(false),
            "kmsKeyId": v.kms_key_id(),
            "state": v.state().map(|s| s.as_str()),
            "availabilityZone": v.availability_zone(),
            "snapshotId": v.snapshot_id().filter(|s| !s.is_empty()),
            "iops": v.iops(),
            "throughput": v.throughput(),
            "multiAttachEnabled": v.multi_attach_enabled(),
            "createTime": date(v.create_time()),
            "isAttached": !attachments.is_empty(),
            "attachments": attachments,
        });
        let mut asset = ctx.asset(AWS_EBS_VOLUME, region, id, name);
        asset.arn = Some(format!(
            "arn:{}:ec2:{region}:{}:volume/{id}",
            ctx.partition, ctx.account_id
        ));
        asset.tags = tags;
        asset.data = data;
        ctx.push(asset);
    }
}

/// AMIs the account owns (not the public catalogue it can launch from).
pub(crate) async fn collect_images(ctx: &Ctx, client: &Client, scope: Scope<'_>) {
    let region = scope.region;
    let pages = match ctx
        .pages(
            client
                .describe_images()
                .owners("self")
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(pages) => pages,
        Err(e) => {
            ctx.fail_list(scope, "DescribeImages", &[AWS_AMI], &e);
            return;
        }
    };
    for image in pages.iter().flat_map(|p| p.images()) {
        let Some(id) = image.image_id() else { continue };
        let tags = ec2_tags(image.tags());
        let name = image.name().unwrap_or(id).to_owned();
        let devices: Vec<_> = image
            .block_device_mappings()
            .iter()
            .map(|b| {
                json!({
                    "deviceName": b.device_name(),
                    "snapshotId": b.ebs().and_then(|e| e.snapshot_id()),
                    "volumeSize": b.ebs().and_then(|e| e.volume_size()),
                    "encrypted": b.ebs().and_then(|e| e.encrypted()),
                })
            })
            .collect();
        let ebs: Vec<_> = image
            .block_device_mappings()
            .iter()
            .filter_map(|b| b.ebs())
            .collect();
        // An AMI is encrypted when every EBS snapshot behind it is.
        let encrypted = !ebs.is_empty() && ebs.iter().all(|e| e.encrypted() == Some(true));
        let public = image.public().unwrap_or(false);
        let data = json!({
            "imageId": id,
            "name": image.name(),
            "description": image.description(),
            "state": image.state().map(|s| s.as_str()),
            "isPublic": public,
            "ownerId": image.owner_id(),
            "creationDate": image.creation_date(),
            "architecture": image.architecture().map(|a| a.as_str()),
            "platformDetails": image.platform_details(),
            "imageType": image.image_type().map(|t| t.as_str()),
            "rootDeviceType": image.root_device_type().map(|t| t.as_str()),
            "virtualizationType": image.virtualization_type().map(|t| t.as_str()),
            "imageLocation": image.image_location(),
            "deprecationTime": image.deprecation_time(),
            "imdsSupport": image.imds_support().map(|t| t.as_str()),
            "encrypted": encrypted,
            "blockDeviceMappings": devices,
        });
        let mut asset = ctx.asset(AWS_AMI, region, id, name);
        asset.arn = Some(format!("arn:{}:ec2:{region}::image/{id}", ctx.partition));
        asset.tags = tags;
        asset.is_public = Some(public);
        asset.data = data;
        ctx.push(asset);
    }
}
