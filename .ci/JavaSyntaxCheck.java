import com.sun.source.util.JavacTask;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Parses the Java sources jsii-pacmak generated, without compiling them: compiling needs the jsii runtime and
 * cdk8s jars from Maven, which CI cannot reach. A parse error (bad escaping, broken syntax) fails CI.
 * Usage: java .ci/JavaSyntaxCheck.java <dir>
 */
public class JavaSyntaxCheck {
  public static void main(String[] args) throws Exception {
    List<File> files = new ArrayList<>();
    collect(new File(args[0]), files);
    if (files.isEmpty()) throw new IllegalStateException("no .java files under " + args[0]);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, null, null)) {
      JavacTask task = (JavacTask) compiler.getTask(null, fm, diagnostics, List.of("-proc:none"), null, fm.getJavaFileObjectsFromFiles(files));
      task.parse();
    }
    int errors = 0;
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) errors++;
      System.err.println(d);
    }
    System.out.println("parsed " + files.size() + " Java files, " + errors + " syntax errors");
    if (errors > 0) System.exit(1);
  }

  private static void collect(File dir, List<File> out) {
    File[] entries = dir.listFiles();
    if (entries == null) return;
    java.util.Arrays.sort(entries);
    for (File f : entries) {
      if (f.isDirectory()) collect(f, out);
      else if (f.getName().endsWith(".java")) out.add(f);
    }
  }
}
