/**
 * Independent readers for delivered objects: tools nobody on this project wrote, run as child
 * processes. gzip → `gunzip`; ZIP → `unzip`; Snappy (xerial stream) → snappy-java's
 * SnappyInputStream under Java; HADOOP_SNAPPY → python3-snappy's Hadoop stream decompressor.
 * scripts/install-system-tools.sh installs them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(file: string, args: readonly string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr.toString()}`));
      else resolve(stdout);
    });
    if (input) child.stdin!.end(input);
  });
}

export function gunzip(path: string): Promise<Buffer> {
  return run('gunzip', ['-c', path]);
}

export async function unzipEntries(path: string): Promise<string[]> {
  return (await run('unzip', ['-Z1', path])).toString().split('\n').filter(Boolean);
}

export function unzipContent(path: string): Promise<Buffer> {
  return run('unzip', ['-p', path]);
}

const SNAPPY_JAVA_READER = `
import java.io.*;
import org.xerial.snappy.SnappyInputStream;
public class SnappyJavaRead {
  public static void main(String[] args) throws Exception {
    try (InputStream in = new SnappyInputStream(new BufferedInputStream(new FileInputStream(args[0])))) {
      in.transferTo(System.out);
    }
    System.out.flush();
  }
}
`;

let javaReaderPath: Promise<string> | undefined;

export async function snappyJava(path: string): Promise<Buffer> {
  javaReaderPath ??= mkdtemp(join(tmpdir(), 'snappy-java-reader-')).then(async (dir) => {
    const source = join(dir, 'SnappyJavaRead.java');
    await writeFile(source, SNAPPY_JAVA_READER);
    return source;
  });
  return run('java', [
    '-Dorg.xerial.snappy.use.systemlib=true',
    '-Djava.library.path=/usr/lib/x86_64-linux-gnu/jni:/usr/lib/jni',
    '-cp', '/usr/share/java/snappy-java.jar',
    await javaReaderPath,
    path,
  ]);
}

const HADOOP_SNAPPY_READER = `
import sys
from snappy import hadoop_snappy
with open(sys.argv[1], 'rb') as f:
    sys.stdout.buffer.write(hadoop_snappy.StreamDecompressor().decompress(f.read()))
`;

export function hadoopSnappyPython(path: string): Promise<Buffer> {
  return run('/usr/bin/python3', ['-c', HADOOP_SNAPPY_READER, path]);
}
