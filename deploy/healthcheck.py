"""Container health probe (Dockerfile HEALTHCHECK, compose): GET the liveness endpoint of the local web process."""

import os
import sys
import urllib.error
import urllib.request

LIVENESS_PATH = "/sante/vivant/"


def main() -> int:
    """0 when the web process on $PORT answers 200 within 4 seconds, 1 otherwise (the code Docker expects)."""
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{LIVENESS_PATH}"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        sys.stderr.write(f"Sonde de vie en échec : {url} : {error}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
