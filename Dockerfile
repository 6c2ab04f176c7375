# h2probe as a container image, for CI systems that prefer an image to `cargo install`:
#
#   docker build -t h2probe .
#   docker run --rm --network host h2probe conform http://127.0.0.1:8080/
#   docker run --rm --network host -v "$PWD:/work" -w /work h2probe \
#       conform https://127.0.0.1:8443/ --insecure --junit report.xml
#
# --network host lets h2probe reach a server on the host's loopback, where floods are allowed.
# Two stages: the toolchain builds the release binary (no debug info, stripped), and the
# runtime image holds that binary alone on Debian slim; its TLS trust roots are compiled in.

FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin h2probe \
    && cp target/release/h2probe /usr/local/bin/h2probe

FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/h2probe /usr/local/bin/h2probe
# Nothing here needs root.
USER nobody
ENTRYPOINT ["h2probe"]
CMD ["--help"]
