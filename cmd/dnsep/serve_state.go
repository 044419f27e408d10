package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/dnsep/dnsep/fake"
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

// stateSaver writes the fake's state to a file.
type stateSaver struct {
	mu       sync.Mutex // one save at a time, each with the newest state
	path     string
	srv      *fake.Server // set once the fake exists, before it serves
	errOut   io.Writer
	restored bool // the file held a state when serve started
}

// openState checks and locks the --state file and reads it. It returns the
// saver, the options of the fake that restore the saved state (if there is
// one) and save after every accepted write, and the function that releases
// the lock. The caller sets the saver's srv once the fake exists.
func openState(path string, errOut io.Writer) (*stateSaver, []fake.Option, func(), error) {
	if err := checkStatePath(path); err != nil {
		return nil, nil, nil, err
	}
	unlock, err := lockState(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--state %s: %w", path, err)
	}
	data, err := readState(path)
	if err != nil {
		unlock()
		return nil, nil, nil, fmt.Errorf("--state %s: %w", path, err)
	}
	s := &stateSaver{path: path, errOut: errOut, restored: data != nil}
	opts := []fake.Option{fake.WithChangeHook(s.saveLogged)}
	if s.restored {
		opts = append(opts, fake.WithState(data))
	}
	return s, opts, unlock, nil
}

// save writes the current state atomically: to a temporary file in the same
// directory, synced, then renamed over the file.
func (s *stateSaver) save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := s.srv.State()
	if err != nil {
		return err
	}
	return writeFileAtomic(s.path, data)
}

// saveLogged saves and reports a failure on stderr: a failed save must not
// fail the request that caused it.
func (s *stateSaver) saveLogged() {
	if err := s.save(); err != nil {
		fmt.Fprintf(s.errOut, "dnsep serve: saving the state: %v\n", err)
	}
}

// writeFileAtomic replaces path with data, so that a reader or a crash
// sees either the old content or the new, never a part. The file is
// readable by its owner only.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		// Name the file the user gave, not the temporary one.
		return &fs.PathError{Op: "write", Path: path, Err: unwrapPath(err)}
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable, where directories sync
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
