// Runs the README quick start as it is: the file synthesizes its app on load.
import '../../../examples/quickstart/main';
