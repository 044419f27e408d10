package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// errStateLocked is returned by lockState when another process holds the
// lock.
var errStateLocked = errors.New("in use by another dnsep serve")

// lockPath is the lock file of a state file: beside it rather than the
// file itself, which every save replaces with a new one.
func lockPath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".lock")
}

// checkStatePath refuses a --state path that serve cannot use safely: it
// must name a regular file, or a missing file in an existing directory.
// A symbolic link is refused rather than followed: every save renames a
// new file over the path, which would replace the link and leave its
// target stale. A FIFO or a device would block or never be saved to.
func checkStatePath(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(path)
		if di, err := os.Stat(dir); err != nil || !di.IsDir() {
			return fmt.Errorf("--state %s: directory %s does not exist", path, dir)
		}
		return nil
	case err != nil:
		return fmt.Errorf("--state %s: %w", path, unwrapPath(err))
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("--state %s: is a symbolic link; give the path of the file itself (saving replaces the file, and would replace the link)", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("--state %s: not a regular file (%s)", path, fileKind(fi.Mode()))
	}
	return nil
}

// readState reads the state file, or returns nil if it does not exist. It
// opens the file without following a link or blocking on a FIFO, in case
// one took the file's place since checkStatePath.
func readState(path string) ([]byte, error) {
	f, err := openNoFollow(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return io.ReadAll(f)
}

// unwrapPath drops the operation and path of a *fs.PathError, for a
// message that names the path once, as the user gave it.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}
