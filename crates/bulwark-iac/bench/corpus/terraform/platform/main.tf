resource "aws_kms_key" "data_key" {
  description = "application data"
}

resource "aws_cloudtrail" "org_trail" {
  name           = "org"
  s3_bucket_name = "acme-trail"
}

resource "aws_sqs_queue" "jobs_queue" {
  name                    = "jobs"
  sqs_managed_sse_enabled = false
}

resource "aws_instance" "legacy_host" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  user_data     = "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"
}
