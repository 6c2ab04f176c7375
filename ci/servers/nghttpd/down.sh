#!/usr/bin/env bash
. "$(dirname "$0")/../lib.sh"
stop nghttpd-h2c
stop nghttpd-tls
