#!/usr/bin/env bash
# h2o: h2c (prior knowledge) and TLS in one process (`-m worker`: no master to daemonize;
# as root it drops to nobody, so the state dir is world-readable). POST goes to a short mruby
# handler that reads the body, since h2o's file handler answers POST with 405.
. "$(dirname "$0")/../lib.sh"
prepare
mkdir -p "$H2PROBE_STATE/h2o"
cat > "$H2PROBE_STATE/h2o/h2o.conf" <<CONF
error-log: $LOGS/h2o.error.log
num-threads: 1
listen:
  host: 127.0.0.1
  port: $(port_of h2o http)
listen:
  host: 127.0.0.1
  port: $(port_of h2o https)
  ssl:
    certificate-file: $TLS/cert.pem
    key-file: $TLS/key.pem
    # No OCSP fetches: the certificate is self-signed and nothing may leave the machine.
    ocsp-update-interval: 0
hosts:
  default:
    paths:
      /:
        # Status 399 hands the request on to the next handler (file.dir).
        mruby.handler: |
          Proc.new do |env|
            if env["REQUEST_METHOD"] == "POST"
              body = env["rack.input"] ? env["rack.input"].read : ""
              [200, {"content-type" => "text/plain"}, ["received #{body.bytesize} bytes\\n"]]
            else
              [399, {}, []]
            end
          end
        file.dir: $WWW
CONF
start h2o h2o -m worker -c "$H2PROBE_STATE/h2o/h2o.conf"
