// The Java client of h2probe's client mode: java.net.http.HttpClient (JDK 11+), which
// starts HTTP/2 over cleartext only by Upgrade: h2c (RFC 7540 §3.2), hence `h2probe client
// --upgrade`; over https:// it uses ALPN h2 and accepts any certificate.
//
// Run with the source launcher: java ci/clients/java/Client.java get URL | post URL FILE |
// multi URL...
// Output: the contract of ci/clients/clients.tsv (`status`): one line per request,
// `status <code> <body-octets>`, or `error <reason>` for a request that failed (also on
// stderr); exit 0 when every request got a response, 1 on an error, 2 on a usage error.
// Every request ends within 10 s.
//
// Not in clients.tsv yet: two runs of the whole catalogue (Java 17.0.15, --upgrade, -j 4,
// --timeout 5s; the source launcher needs more than the default 2 s to connect) gave the
// same counts but two verdicts that moved (rst-on-idle-stream, data-on-stream-zero).

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public class Client {
    static final Duration BOUND = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("java.net.http.HttpClient, Java " + System.getProperty("java.version"));
            return;
        }
        if (args.length < 2 || !(args[0].equals("get") || args[0].equals("post") || args[0].equals("multi"))
                || (args[0].equals("post") && args.length != 3)) {
            System.err.println("usage: Client get URL | post URL FILE | multi URL...");
            System.exit(2);
        }
        // The JDK checks host names even with a trust-all manager unless told not to.
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] { new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {}
            public void checkServerTrusted(X509Certificate[] c, String a) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        } }, null);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls)
                .connectTimeout(BOUND).build();
        List<HttpRequest> requests = new ArrayList<>();
        if (args[0].equals("post")) {
            requests.add(HttpRequest.newBuilder(URI.create(args[1])).timeout(BOUND)
                    .POST(HttpRequest.BodyPublishers.ofFile(Path.of(args[2]))).build());
        } else {
            for (int i = 1; i < args.length; i++) {
                requests.add(HttpRequest.newBuilder(URI.create(args[i])).timeout(BOUND).GET().build());
            }
        }
        List<CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
        for (HttpRequest r : requests) {
            sent.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()));
        }
        int status = 0;
        for (CompletableFuture<HttpResponse<byte[]>> f : sent) {
            try {
                HttpResponse<byte[]> r = f.get(BOUND.toSeconds() + 1, java.util.concurrent.TimeUnit.SECONDS);
                System.out.println("status " + r.statusCode() + " " + r.body().length);
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String why = (cause.getClass().getSimpleName() + ": " + cause.getMessage()).replace('\n', ' ');
                System.out.println("error " + why);
                System.err.println("error " + why);
                status = 1;
            }
        }
        System.out.flush();
        System.exit(status);
    }
}
