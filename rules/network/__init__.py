"""Network exposure."""

from iaclint.settings import RuleSetting, ports

SETTINGS = {
    "public-ports": RuleSetting((80, 443), ports, "open-ingress, open-nacl-ingress: ports that may be open to the world"),
}
