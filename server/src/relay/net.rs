//! Where the relay listens and what it tells browsers.
//!
//! One UDP port (by default the same number as the HTTP port) on each address browsers can
//! reach. A store's server with a public address needs nothing more. Behind NAT (a shop PC on
//! broadband) phones outside the shop cannot reach it: give it a public address (a cloud
//! server, or a port forward with `LINLI_RTC_PUBLIC_IP`), or point browsers at a TURN server
//! such as coturn with `LINLI_TURN_URL` / `LINLI_TURN_USER` / `LINLI_TURN_PASSWORD`.
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

#[derive(Clone, Debug)]
pub struct RelayConfig {
    /// Addresses to bind (the port may be 0 for any).
    pub bind: Vec<SocketAddr>,
    /// Announce this address instead of the bound one (1:1 NAT, a forwarded port).
    pub public_ip: Option<IpAddr>,
    pub ice_servers: Vec<IceServer>,
    /// Viewers this instance holds at most; the next gets 503 `relay_full`.
    pub max_viewers: usize,
    /// The HTTP listener's address: the `instance` label of the relay's metrics.
    pub instance: String,
    /// Where replays are written; `None` with `LINLI_RECORD=off`.
    pub recordings: Option<std::path::PathBuf>,
}

/// A STUN or TURN server for `RTCPeerConnection({iceServers})`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IceServer {
    pub urls: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

impl IceServer {
    /// The WHIP/WHEP `Link` header value for it (RFC 9725 §4.6).
    pub fn link(&self) -> String {
        let mut l = format!("<{}>; rel=\"ice-server\"", self.urls);
        if let (Some(u), Some(c)) = (&self.username, &self.credential) {
            l.push_str(&format!("; username=\"{u}\"; credential=\"{c}\"; credential-type=\"password\""));
        }
        l
    }
}

impl RelayConfig {
    /// From the environment, given the HTTP listener's address:
    /// - `LINLI_RTC_PORT`: the UDP port (default: the HTTP port's number);
    /// - `LINLI_RTC_IPS`: comma-separated addresses to listen on (default: the HTTP listener's
    ///   address; when that is 0.0.0.0, this machine's LAN address and 127.0.0.1);
    /// - `LINLI_RTC_PUBLIC_IP`, `LINLI_TURN_URL`, `LINLI_TURN_USER`, `LINLI_TURN_PASSWORD`,
    ///   `LINLI_RTC_MAX_VIEWERS` (default 500);
    /// - `LINLI_RECORDINGS_DIR`: where replays go (default: `recordings/` beside a SQLite
    ///   database file, else `data/recordings`); `LINLI_RECORD=off` records nothing.
    pub fn from_env(var: impl Fn(&str) -> Option<String>, http: SocketAddr, database_url: &str) -> Result<RelayConfig, String> {
        let port = match var("LINLI_RTC_PORT") {
            Some(p) => p.trim().parse::<u16>().map_err(|_| format!("LINLI_RTC_PORT is not a port: {p}"))?,
            None => http.port(),
        };
        let ips: Vec<IpAddr> = match var("LINLI_RTC_IPS") {
            Some(list) => list
                .split(',')
                .map(|s| s.trim().parse::<IpAddr>().map_err(|_| format!("LINLI_RTC_IPS: not an address: {s}")))
                .collect::<Result<_, _>>()?,
            None if http.ip().is_unspecified() => {
                let mut v: Vec<IpAddr> = lan_address().into_iter().collect();
                v.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
                v
            }
            None => vec![http.ip()],
        };
        let public_ip = var("LINLI_RTC_PUBLIC_IP").map(|s| s.trim().parse().map_err(|_| format!("LINLI_RTC_PUBLIC_IP is not an address: {s}"))).transpose()?;
        let mut ice_servers = Vec::new();
        if let Some(url) = var("LINLI_TURN_URL") {
            if !(url.starts_with("turn:") || url.starts_with("turns:") || url.starts_with("stun:")) {
                return Err(format!("LINLI_TURN_URL must start with turn:, turns: or stun: ({url})"));
            }
            ice_servers.push(IceServer { urls: url, username: var("LINLI_TURN_USER"), credential: var("LINLI_TURN_PASSWORD") });
        }
        let max_viewers = match var("LINLI_RTC_MAX_VIEWERS") {
            Some(v) => v.trim().parse().map_err(|_| format!("LINLI_RTC_MAX_VIEWERS is not a number: {v}"))?,
            None => 500,
        };
        let record = !var("LINLI_RECORD").is_some_and(|v| matches!(v.trim(), "0" | "off" | "false" | "no"));
        let recordings = record.then(|| {
            var("LINLI_RECORDINGS_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| {
                let sqlite_file = database_url.strip_prefix("sqlite://").map(|p| std::path::PathBuf::from(p.split('?').next().unwrap_or(p)));
                match sqlite_file.as_ref().and_then(|f| f.parent()).filter(|d| !d.as_os_str().is_empty()) {
                    Some(dir) => dir.join("recordings"),
                    None => std::path::PathBuf::from("data/recordings"),
                }
            })
        });
        Ok(RelayConfig { bind: ips.into_iter().map(|ip| SocketAddr::new(ip, port)).collect(), public_ip, ice_servers, max_viewers, instance: http.to_string(), recordings })
    }
}

/// The address this machine uses to reach the internet (no packet is sent: connecting a UDP
/// socket only picks the route), so phones on the shop's Wi-Fi can reach a relay on 0.0.0.0.
fn lan_address() -> Option<IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// What the relay asks the kernel for, each way (Linux grants up to net.core.rmem_max /
/// wmem_max). The one loop both reads and sends: while it writes a keyframe to 500 viewers
/// (megabytes) nothing is read, and the default ~200 KB receive buffer overflowed with the
/// viewers' feedback, losing the host's packets — a frame lost for every viewer at once
/// (benchmarks/video.sh: 32% of frames at 500 viewers).
const SOCKET_BUFFER: usize = 8 * 1024 * 1024;

fn roomy(socket: &std::net::UdpSocket, addr: &SocketAddr) {
    let s = socket2::SockRef::from(socket);
    let _ = s.set_recv_buffer_size(SOCKET_BUFFER);
    let _ = s.set_send_buffer_size(SOCKET_BUFFER);
    let (recv, send) = (s.recv_buffer_size().unwrap_or(0), s.send_buffer_size().unwrap_or(0));
    if recv < SOCKET_BUFFER / 2 {
        tracing::info!(%addr, recv, send, "relay: the kernel granted smaller UDP buffers (raise net.core.rmem_max / wmem_max for hundreds of viewers)");
    }
}

/// Binds every address: the socket and the address announced for it. A port already taken
/// (another instance on the same machine) falls back to any free port, with a warning.
pub(super) fn bind(config: &RelayConfig) -> std::io::Result<Vec<(tokio::net::UdpSocket, SocketAddr)>> {
    let mut out = Vec::new();
    for addr in &config.bind {
        let std_socket = match std::net::UdpSocket::bind(addr) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                tracing::warn!(%addr, "relay: UDP port taken, using any free port");
                std::net::UdpSocket::bind(SocketAddr::new(addr.ip(), 0))?
            }
            Err(e) => return Err(e),
        };
        std_socket.set_nonblocking(true)?;
        roomy(&std_socket, addr);
        let local = std_socket.local_addr()?;
        let announced = match config.public_ip {
            Some(ip) if !local.ip().is_loopback() => SocketAddr::new(ip, local.port()),
            _ => local,
        };
        out.push((tokio::net::UdpSocket::from_std(std_socket)?, announced));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_udp_port_follows_the_http_port_unless_set() {
        let http: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let c = RelayConfig::from_env(env(&[]), http, "sqlite:///srv/linli/linli.db").unwrap();
        assert_eq!(c.bind, vec!["127.0.0.1:3000".parse::<SocketAddr>().unwrap()]);
        assert_eq!(c.recordings, Some(std::path::PathBuf::from("/srv/linli/recordings")), "beside the SQLite file");
        let c = RelayConfig::from_env(env(&[("LINLI_RTC_PORT", "9000"), ("LINLI_RTC_IPS", "10.0.0.5, 127.0.0.1")]), http, "postgres://db/linli").unwrap();
        assert_eq!(c.bind, vec!["10.0.0.5:9000".parse::<SocketAddr>().unwrap(), "127.0.0.1:9000".parse().unwrap()]);
        assert_eq!(c.recordings, Some(std::path::PathBuf::from("data/recordings")));
        assert!(RelayConfig::from_env(env(&[("LINLI_RTC_PORT", "x")]), http, "").is_err());
        assert!(RelayConfig::from_env(env(&[("LINLI_TURN_URL", "http://turn")]), http, "").is_err());
    }

    #[test]
    fn a_turn_server_is_offered_with_its_credentials() {
        let http: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        let c = RelayConfig::from_env(env(&[("LINLI_TURN_URL", "turn:turn.example.cn:3478"), ("LINLI_TURN_USER", "shop"), ("LINLI_TURN_PASSWORD", "pw"), ("LINLI_RECORD", "off")]), http, "").unwrap();
        assert!(c.bind.iter().any(|a| a.ip().is_loopback()));
        assert_eq!(c.recordings, None);
        assert_eq!(c.ice_servers[0].link(), "<turn:turn.example.cn:3478>; rel=\"ice-server\"; username=\"shop\"; credential=\"pw\"; credential-type=\"password\"");
    }
}
