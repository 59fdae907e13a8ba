#!/usr/bin/python3
"""Prepares a fresh moto server as an EC2 region Orquestra can provision into, and prints what
the tests need as KEY=VALUE lines (ORQ_EC2_*).

  moto-seed.py --endpoint http://127.0.0.1:PORT [--region eu-west-1] [--enable-auth]

Creates a VPC, a subnet, a security group, a key pair and an AMI of our own ("orquestra-lab",
made from one of moto's stock images), all tagged orquestra:lab=true. With --enable-auth it
also creates an IAM user with an access key allowed to use EC2 (and CloudWatch's metric data), then switches moto's
authentication on (POST /moto-api/reset-auth 0): from then on only that key's signatures are
accepted, so a wrong secret is refused as it would be by AWS. Uses the python3-boto3 that
install-moto.sh installs; talks only to the loopback endpoint it is given.
"""
import argparse
import json
import sys
import urllib.request

import boto3
from botocore.config import Config


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--region", default="eu-west-1")
    ap.add_argument("--enable-auth", action="store_true")
    a = ap.parse_args()
    if not a.endpoint.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
        print("moto-seed: the endpoint must be on loopback", file=sys.stderr)
        return 2

    cfg = Config(retries={"max_attempts": 2}, connect_timeout=5, read_timeout=30)
    # While authentication is off, moto accepts any key: these only select the account.
    boot = dict(endpoint_url=a.endpoint, region_name=a.region, aws_access_key_id="orquestra-seed",
                aws_secret_access_key="orquestra-seed", config=cfg)
    lab = [{"Key": "orquestra:lab", "Value": "true"}]

    key_id, secret = "orquestra-seed", "orquestra-seed"
    if a.enable_auth:
        iam = boto3.client("iam", **boot)
        iam.create_user(UserName="orquestra")
        iam.put_user_policy(
            UserName="orquestra",
            PolicyName="orquestra-ec2",
            # CloudWatch: the driver's metrics (GetMetricData) and a test agent's datapoints.
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:*", "cloudwatch:GetMetricData", "cloudwatch:PutMetricData"], "Resource": "*"}]}),
        )
        k = iam.create_access_key(UserName="orquestra")["AccessKey"]
        key_id, secret = k["AccessKeyId"], k["SecretAccessKey"]

    ec2 = boto3.client("ec2", **boot)
    zone = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": lab}])["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.42.1.0/24", AvailabilityZone=zone,
                               TagSpecifications=[{"ResourceType": "subnet", "Tags": lab}])["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="orquestra-lab", Description="Orquestra lab machines", VpcId=vpc,
                                   TagSpecifications=[{"ResourceType": "security-group", "Tags": lab}])["GroupId"]
    ec2.create_key_pair(KeyName="orquestra-lab", TagSpecifications=[{"ResourceType": "key-pair", "Tags": lab}])

    # An AMI of our own: the template the tests request ("BusyBox (lab image)" in the demo).
    stock = [i for i in ec2.describe_images(Owners=["amazon"])["Images"] if i.get("RootDeviceType") == "ebs"]
    if not stock:
        print("moto-seed: moto has no stock EBS image to build the lab AMI from", file=sys.stderr)
        return 1
    base = sorted(stock, key=lambda i: i["ImageId"])[0]["ImageId"]
    inst = ec2.run_instances(ImageId=base, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]["InstanceId"]
    ami = ec2.create_image(InstanceId=inst, Name="orquestra-lab", Description="Orquestra lab image",
                           TagSpecifications=[{"ResourceType": "image", "Tags": lab}])["ImageId"]
    ec2.terminate_instances(InstanceIds=[inst])

    if a.enable_auth:
        # Not form-encoded: moto reads the raw body.
        req = urllib.request.Request(a.endpoint.rstrip("/") + "/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()

    for k_, v in [("ORQ_EC2_URL", a.endpoint), ("ORQ_EC2_REGION", a.region), ("ORQ_EC2_ACCESS_KEY_ID", key_id),
                  ("ORQ_EC2_SECRET_ACCESS_KEY", secret), ("ORQ_EC2_AMI", ami), ("ORQ_EC2_SUBNET", subnet),
                  ("ORQ_EC2_SECURITY_GROUP", sg), ("ORQ_EC2_KEY_NAME", "orquestra-lab"), ("ORQ_EC2_ZONE", zone)]:
        print(f"{k_}={v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
