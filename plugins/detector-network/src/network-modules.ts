/**
 * Python modules whose every name talks to the network (py2 spellings included). Data-only parts
 * of them (requests.structures, requests.exceptions) are excluded below.
 */
const NETWORK_MODULES = [
  "socket",
  "_socket",
  "urllib.request",
  "urllib2",
  "urllib3",
  "http.client",
  "http.server",
  "httplib",
  "httplib2",
  "BaseHTTPServer",
  "SimpleHTTPServer",
  "requests",
  "httpx",
  "aiohttp",
  "ftplib",
  "smtplib",
  "poplib",
  "imaplib",
  "nntplib",
  "telnetlib",
  "paramiko",
  "websockets",
  "websocket",
  "pycurl",
  "socketserver",
  "SocketServer",
  "xmlrpc",
  "xmlrpclib",
  "SimpleXMLRPCServer",
  "asyncore",
  "asynchat",
  "dns.resolver",
  "dns.asyncresolver",
  "dns.query",
  "webbrowser",
  "grpc",
  "zmq",
  "boto3",
  "botocore",
  "wget",
  "mechanize",
  "tornado.httpclient",
  "twisted.internet",
  "scapy",
];

const DATA_ONLY = ["requests.structures", "requests.exceptions", "requests.status_codes", "urllib3.exceptions"];

/** Network functions of modules that are otherwise harmless (ssl, asyncio, torch.hub...). */
const NETWORK_FUNCTIONS = [
  "urllib.urlopen",
  "urllib.urlretrieve",
  "urllib.URLopener",
  "urllib.FancyURLopener",
  "ssl.get_server_certificate",
  "ssl.create_connection",
  "ssl.wrap_socket",
  "ssl.SSLSocket",
  "asyncio.open_connection",
  "asyncio.open_unix_connection",
  "asyncio.start_server",
  "asyncio.streams.open_connection",
  "multiprocessing.connection.Client",
  "multiprocessing.connection.Listener",
  "torch.hub.load",
  "torch.hub.load_state_dict_from_url",
  "torch.hub.download_url_to_file",
  "torch.utils.model_zoo.load_url",
  "torchvision.datasets.utils.download_url",
  "huggingface_hub.hf_hub_download",
  "huggingface_hub.snapshot_download",
  "huggingface_hub.file_download.hf_hub_download",
  "keras.utils.get_file",
  "keras.utils.data_utils.get_file",
  "tensorflow.keras.utils.get_file",
  "nltk.download",
];

function underPrefix(qualified: string, prefix: string): boolean {
  return qualified === prefix || qualified.startsWith(`${prefix}.`);
}

/** The network module or function a qualified Python name (`module.name`) belongs to, if any. */
export function networkTarget(qualified: string): string | undefined {
  if (DATA_ONLY.some((prefix) => underPrefix(qualified, prefix))) return undefined;
  const fn = NETWORK_FUNCTIONS.find((prefix) => underPrefix(qualified, prefix));
  if (fn) return fn;
  return NETWORK_MODULES.find((prefix) => underPrefix(qualified, prefix));
}

/** True when importing the module itself (not one function of it) is a network import. */
export function isNetworkModule(module: string): boolean {
  if (DATA_ONLY.some((prefix) => underPrefix(module, prefix))) return false;
  return NETWORK_MODULES.some((prefix) => underPrefix(module, prefix));
}

/** Modules some of whose functions are network functions: `from ssl import get_server_certificate`. */
export function hasNetworkFunctions(module: string): boolean {
  return NETWORK_FUNCTIONS.some((qualified) => qualified.startsWith(`${module}.`));
}

/** Bytecode names that call out once a network module is among the names. */
export const NETWORK_CALL_NAMES = new Set([
  "urlopen",
  "urlretrieve",
  "connect",
  "create_connection",
  "send",
  "sendall",
  "sendto",
  "request",
  "post",
  "put",
  "get",
  "getaddrinfo",
  "gethostbyname",
  "get_server_certificate",
  "open_connection",
  "Session",
  "Client",
  "AsyncClient",
  "ClientSession",
  "SSHClient",
  "FTP",
  "SMTP",
  "Telnet",
  "load_state_dict_from_url",
  "download_url_to_file",
  "hf_hub_download",
  "get_file",
]);
