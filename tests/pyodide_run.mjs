// Run xlwings Lite's main.py under Pyodide in Node, the way Lite calls a script.
// node pyodide_run.mjs PYODIDE_DIR WHEELS_DIR MAIN_PY PAYLOADS_JSON OUT_JSON
// Wheels are unpacked into site-packages (what micropip does for Lite, minus the network);
// each payload (name -> xlwings remote payload) runs every script named in SCRIPTS and
// the queued actions are written to OUT_JSON as {"name/script": actions}, each run's
// seconds (payload to actions, as Lite times a button) under "_seconds".
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelsDir, mainPy, payloads, outJson] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const started = Date.now();
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });
pyodide.FS.mkdirTree("/wheels");
pyodide.FS.mkdirTree("/work");
for (const name of fs.readdirSync(wheelsDir).filter((n) => n.endsWith(".whl"))) {
  pyodide.FS.writeFile("/wheels/" + name, fs.readFileSync(path.join(wheelsDir, name)));
}
pyodide.FS.writeFile("/work/main.py", fs.readFileSync(mainPy));
pyodide.FS.writeFile("/work/payloads.json", fs.readFileSync(payloads));
await pyodide.runPythonAsync(`
import glob, json, os, site, sys, time, types, zipfile
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"  # what makes xlwings' @script the Lite/Server one
site_packages = site.getsitepackages()[0]
for wheel in sorted(glob.glob("/wheels/*.whl")):
    zipfile.ZipFile(wheel).extractall(site_packages)
import xlwings as xw
from xlwings.server import custom_scripts_call

main = types.ModuleType("main")
exec(compile(open("/work/main.py").read(), "main.py", "exec"), main.__dict__)
scripts = [name for name in dir(main) if hasattr(getattr(main, name), "__xlscript__")]
out = {"_python": sys.version.split()[0], "_platform": sys.platform, "_scripts": scripts,
       "_seconds": {}}
for key, payload in json.load(open("/work/payloads.json")).items():
    for script in scripts:
        started_at = time.perf_counter()
        book = xw.Book(json=payload)
        await custom_scripts_call(main, script, typehint_to_value={xw.Book: book})
        out[f"{key}/{script}"] = book.json()["actions"]
        out["_seconds"][f"{key}/{script}"] = time.perf_counter() - started_at
        book.close()
json.dump(out, open("/work/out.json", "w"), default=str)
`);
fs.writeFileSync(outJson, pyodide.FS.readFile("/work/out.json", { encoding: "utf8" }));
console.log(`pyodide ${pyodide.version}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
