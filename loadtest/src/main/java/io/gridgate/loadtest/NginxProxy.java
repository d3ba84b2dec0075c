package io.gridgate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/** nginx as a reverse proxy to the backend, configured the way a careful operator would for a fair comparison. */
final class NginxProxy implements Target {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final InetSocketAddress address;
    private final ChildProcess process;

    private NginxProxy(InetSocketAddress address, ChildProcess process) {
        this.address = address;
        this.process = process;
    }

    /** Writes a config into {@code workDir} and runs {@code nginx} in the foreground until {@link #close()}. */
    static NginxProxy start(String nginx, InetSocketAddress backend, Path workDir, CpuPinning pinning) {
        int port = FreePorts.next();
        Path dir = workDir.resolve("nginx");
        Path conf = dir.resolve("nginx.conf");
        try {
            Files.createDirectories(dir);
            Files.writeString(conf, config(backend, port, dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        // -p keeps every relative path in the temp dir, -e keeps nginx from touching /var/log before it reads the
        // config; "daemon off" keeps the master as our child so SIGTERM from close() reaches it.
        List<String> command = List.of(nginx, "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", conf.toString(), "-g", "daemon off;");
        ChildProcess process = ChildProcess.start("nginx", pinning.onProxyCpu(command), dir.resolve("stdout.log"));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        NginxProxy proxy = new NginxProxy(address, process);
        try {
            process.awaitReady(() -> accepts(address), START_TIMEOUT);
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    /**
     * One worker (it gets one core at most), upstream keep-alive with HTTP/1.1 (otherwise nginx opens a backend
     * connection per request and measures the TCP handshake), no access log (Gridgate writes none in this setup
     * either).
     */
    static String config(InetSocketAddress backend, int port, Path dir) {
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                events {
                    worker_connections 4096;
                }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    keepalive_requests 1000000;
                    upstream backend {
                        server %2$s:%3$d;
                        keepalive 128;
                        keepalive_requests 1000000;
                    }
                    server {
                        listen 127.0.0.1:%4$d;
                        location / {
                            proxy_pass http://backend;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(dir, backend.getHostString(), backend.getPort(), port);
    }

    /** First line of {@code nginx -v}, for the report. */
    static String version(String nginx) {
        try {
            Process p = new ProcessBuilder(nginx, "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("nginx not runnable as `" + nginx + "`; install it (apt-get install -y"
                    + " nginx) or pass --nginx <path>, or leave it out of --targets", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public OptionalLong cpuNanos() {
        return CpuAccounting.processTreeNanos(process.handle());
    }

    @Override
    public void close() {
        process.close();
    }
}
