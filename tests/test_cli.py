import subprocess
import sys


def test_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "khabar.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "normalize" in out.stdout and "clean" in out.stdout
