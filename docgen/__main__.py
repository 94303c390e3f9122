from docgen.cli.main import main

main()
