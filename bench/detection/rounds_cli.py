"""What record_rounds.py and live_trials.py share: their "-- BASE... -- CANDIDATE..." command
line and the memory-hungry neighbours they run beside the commands (README.md, "Paired
rounds")."""
import subprocess
import sys


def split_commands(program):
    """sys.argv[1:] split at "--": (the program's own options, BASE, CANDIDATE); exits with a
    one-line error naming `program` when either command is missing or empty."""
    argv = sys.argv[1:]
    usage = f"{program}: expected -- BASE... -- CANDIDATE..."
    if "--" not in argv:
        sys.exit(usage)
    split = argv.index("--")
    commands = argv[split + 1:]
    if "--" not in commands:
        sys.exit(usage)
    middle = commands.index("--")
    base, candidate = commands[:middle], commands[middle + 1:]
    if not base or not candidate:
        sys.exit(f"{program}: the base and the candidate command must not be empty")
    return argv[:split], base, candidate


def start_neighbours(program, args):
    """args.neighbours copies of args.neighbour_binary (detection_neighbour_memory), seeded from
    args.seed; the caller kills them."""
    if args.neighbours and not args.neighbour_binary:
        sys.exit(f"{program}: --neighbours needs --neighbour-binary")
    return [subprocess.Popen([args.neighbour_binary, str(args.seed * 100 + k)])
            for k in range(args.neighbours)]


def stop_neighbours(neighbours):
    for n in neighbours:
        n.kill()
        n.wait()
