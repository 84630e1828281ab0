#!/usr/bin/env bash
# Installs the Debian tools the test suite calls (independent readers for Firehose output, real
# AWS clients). Run as root on Debian; elsewhere it prints what to install.
set -euo pipefail
needed=()
command -v unzip >/dev/null 2>&1 || needed+=(unzip)
command -v gzip >/dev/null 2>&1 || needed+=(gzip)
command -v openssl >/dev/null 2>&1 || needed+=(openssl)
# Firehose Snappy output is checked by readers nobody on the project wrote: snappy-java (xerial
# stream) under Java, and python3-snappy's Hadoop reader.
command -v java >/dev/null 2>&1 || needed+=(default-jre-headless)
[ -f /usr/share/java/snappy-java.jar ] || needed+=(libsnappy-java libsnappy-jni)
/usr/bin/python3 -c 'import snappy.hadoop_snappy' >/dev/null 2>&1 || needed+=(python3-snappy)
# Real AWS clients the tests drive: boto3 (SubscribeToShard over HTTP/1.1 chunked) and the AWS CLI v2.
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || needed+=(python3-boto3)
[ -x /usr/bin/aws ] || needed+=(awscli)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${needed[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
else
  echo "please install: ${needed[*]}" >&2
  exit 1
fi
