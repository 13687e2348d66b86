"""The progress display of long imports: bytes read of the file, rows per second and the time remaining."""

from tqdm import tqdm


class Progress:
    """A tqdm bar over the file's bytes, with the rows read and their rate as postfix (stderr; off in tests)."""

    def __init__(self, source, *, label: str, enabled: bool = True):
        self.source = source
        self._bar = (
            tqdm(total=source.size, unit="o", unit_scale=True, desc=label, mininterval=1.0, leave=True)
            if enabled
            else None
        )

    def update(self, rows: int) -> None:
        if self._bar is None:
            return
        self._bar.n = min(self.source.position, self.source.size)
        elapsed = self._bar.format_dict["elapsed"] or 1e-9
        self._bar.set_postfix_str(f"{rows:,} lignes, {rows / elapsed:,.0f} lignes/s".replace(",", " "), refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
